/**
 * The layers a layer holds, found as Keras's tracker finds them: layers in
 * its fields, or in arrays in its fields. Generic over the class, so that
 * layer.ts can use it without this module importing layer.ts.
 */

/** A class, for `instanceof`. */
// biome-ignore lint/suspicious/noExplicitAny: any constructor signature.
type LayerClass<L> = abstract new (...args: any[]) => L;

/** The layers held in `owner`'s own fields (not their sublayers), in field order. */
export function directSublayers<L extends object>(owner: object, cls: LayerClass<L>): L[] {
  const children: L[] = [];
  for (const value of Object.values(owner)) {
    if (value instanceof cls) children.push(value);
    else if (Array.isArray(value)) for (const item of value) if (item instanceof cls) children.push(item);
  }
  return children;
}

/** Every layer below `root`, depth first, each once, without `root`. */
export function nestedSublayers<L extends object>(root: L, cls: LayerClass<L>): L[] {
  const found: L[] = [];
  const seen = new Set<L>([root]);
  const visit = (layer: L): void => {
    for (const child of directSublayers(layer, cls)) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/**
 * `[root, ...nested layers]` in the order Keras's `_flatten_layers` gives
 * `losses`: a deque to whose front each visited layer's sublayers go, so
 * that below the root's own sublayers each level comes in reverse (a
 * model's MultiHeadAttention: its output projection's activity loss first).
 */
export function lossOrder<L extends object>(root: L, cls: LayerClass<L>): L[] {
  const order: L[] = [root];
  const seen = new Set<L>([root]);
  const queue = [...directSublayers(root, cls)];
  while (queue.length > 0) {
    const layer = queue.shift() as L;
    if (seen.has(layer)) continue;
    seen.add(layer);
    order.push(layer);
    queue.unshift(...directSublayers(layer, cls).reverse());
  }
  return order;
}
