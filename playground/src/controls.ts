/**
 * One run's regularizer controls: for each Dense layer and slot (kernel,
 * bias, activity) a kind, its factors and, for Orthogonal, a mode. A change
 * is handed to `apply` at once, so the next training step uses it. A value
 * the library refuses leaves the applied regularizer as it was and shows the
 * library's error message beside the control.
 */
import type { Regularizer } from 'keras-regularizers';
import { factorInput } from './factor-input.js';
import { LAYER_NAMES, type LayerName, SLOTS, type Slot } from './network.js';
import {
  DEFAULT_FACTORS,
  FACTOR_NAMES,
  KINDS,
  type Kind,
  makeRegularizer,
  type OrthogonalMode,
} from './regularizer-choice.js';

export type Apply = (layer: LayerName, slot: Slot, regularizer: Regularizer | null) => void;

/** A slot's last accepted choice. */
interface Choice {
  kind: Kind;
  factors: Record<string, string>;
  mode: OrthogonalMode;
}

function defaultFactors(kind: Kind): Record<string, string> {
  return Object.fromEntries(FACTOR_NAMES[kind].map((name) => [name, String(DEFAULT_FACTORS[name])]));
}

class SlotControl {
  readonly row = document.createElement('tr');
  #accepted: Choice = { kind: 'none', factors: {}, mode: 'columns' };
  #regularizer: Regularizer | null = null;
  readonly #kind = document.createElement('select');
  readonly #factors = document.createElement('div');
  readonly #error = document.createElement('div');

  constructor(
    readonly layer: LayerName,
    readonly slot: Slot,
    private readonly apply: Apply,
  ) {
    this.row.dataset.layer = layer;
    this.row.dataset.slot = slot;
    for (const kind of KINDS) {
      const option = new Option(kind, kind);
      // The penalty needs a matrix; a bias is a vector.
      if (slot === 'bias' && kind === 'Orthogonal') option.disabled = true;
      this.#kind.add(option);
    }
    this.#kind.className = 'kind';
    this.#kind.setAttribute('aria-label', `${layer} ${slot} regularizer`);
    this.#kind.addEventListener('change', () => this.#chooseKind(this.#kind.value as Kind));
    this.#factors.className = 'factors';
    this.#error.className = 'error';
    this.#error.setAttribute('role', 'alert');
    const cells = [layer, slot].map((text) => Object.assign(document.createElement('td'), { textContent: text }));
    const kindCell = document.createElement('td');
    kindCell.append(this.#kind);
    const factorCell = document.createElement('td');
    factorCell.append(this.#factors, this.#error);
    this.row.append(...cells, kindCell, factorCell);
  }

  /** Hands the applied regularizer to `apply` again (a rebuilt network). */
  reapply(): void {
    this.apply(this.layer, this.slot, this.#regularizer);
  }

  #chooseKind(kind: Kind): void {
    const choice = { kind, factors: defaultFactors(kind), mode: this.#accepted.mode };
    if (this.#try(choice)) this.#render();
    else this.#kind.value = this.#accepted.kind;
  }

  /** Makes and applies the regularizer of `choice`; on refusal shows why and keeps the last one. */
  #try(choice: Choice): boolean {
    let regularizer: Regularizer | null;
    try {
      regularizer = makeRegularizer(choice.kind, choice.factors, choice.mode);
    } catch (error) {
      this.#showError(error instanceof Error ? error.message : String(error));
      return false;
    }
    this.apply(this.layer, this.slot, regularizer);
    this.#regularizer = regularizer;
    this.#accepted = choice;
    this.#showError(null);
    return true;
  }

  #showError(message: string | null): void {
    this.row.classList.toggle('refused', message != null);
    this.#error.replaceChildren();
    if (message == null) return;
    const text = Object.assign(document.createElement('span'), { className: 'message', textContent: message });
    const kept = Object.entries(this.#accepted.factors)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    const note = Object.assign(document.createElement('span'), {
      className: 'kept',
      textContent: ` Training goes on with ${this.#accepted.kind === 'none' ? 'none' : `${this.#accepted.kind}(${kept})`}.`,
    });
    this.#error.append(text, note);
  }

  #render(): void {
    const { kind, factors, mode } = this.#accepted;
    this.#factors.replaceChildren();
    for (const name of FACTOR_NAMES[kind]) {
      const input = factorInput(name, Number(factors[name]), (text) => {
        const choice = { ...this.#accepted, factors: { ...this.#accepted.factors, [name]: text } };
        if (this.#try(choice)) input.showAccepted(Number(text));
        input.text.classList.toggle('invalid', this.#accepted.factors[name] !== text);
      });
      this.#factors.append(input.element);
    }
    if (kind === 'Orthogonal') {
      const select = document.createElement('select');
      select.className = 'mode';
      select.setAttribute('aria-label', 'mode');
      for (const value of ['columns', 'rows']) select.add(new Option(value, value));
      select.value = mode;
      select.addEventListener('change', () => {
        this.#try({ ...this.#accepted, mode: select.value as OrthogonalMode });
      });
      this.#factors.append(select);
    }
  }
}

export class RegularizerControls {
  readonly element = document.createElement('table');
  readonly #slots: SlotControl[] = [];

  constructor(apply: Apply) {
    this.element.className = 'regularizers';
    const head = this.element.createTHead().insertRow();
    for (const title of ['layer', 'slot', 'regularizer', 'factor (applies from the next step)']) {
      head.append(Object.assign(document.createElement('th'), { textContent: title }));
    }
    const body = this.element.createTBody();
    for (const layer of LAYER_NAMES) {
      for (const slot of SLOTS) {
        const control = new SlotControl(layer, slot, apply);
        this.#slots.push(control);
        body.append(control.row);
      }
    }
  }

  reapplyAll(): void {
    for (const slot of this.#slots) slot.reapply();
  }
}
