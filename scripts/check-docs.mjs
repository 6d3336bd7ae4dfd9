// Checks what typedoc's own validation leaves out: typedoc (run first, by
// `npm run docs`) fails on an undocumented namespace, class, interface, type
// alias or variable, but requiring "Function" there would also require every
// method signature. So this reads typedoc's JSON output (docs/api.json) and
// fails when a function exported directly from a namespace has a signature
// without a summary, or when a class has no summary. A class or interface
// without a comment of its own shows its base's (typedoc copies it), which
// typedoc's validation then takes for documentation: that counts as none.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'docs/api.json';
let project;
try {
  project = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`check-docs: cannot read ${file} (run \`npx typedoc\` first): ${error.message}`);
  process.exit(1);
}

// typedoc's ReflectionKind values (typedoc/dist/lib/models/kind.js).
const Kind = { Project: 1, Module: 2, Namespace: 4, Function: 64, Class: 128, Interface: 256 };
const CONTAINERS = new Set([Kind.Project, Kind.Module, Kind.Namespace]);

const summaryText = (comment) => (comment?.summary ?? []).map((part) => part.text).join('');
const hasSummary = (comment) => summaryText(comment).trim() !== '';

const byId = new Map();
(function index(reflection) {
  byId.set(reflection.id, reflection);
  for (const child of reflection.children ?? []) index(child);
})(project);

/** True when `reflection` has a summary that is not just its base's, copied by typedoc. */
function hasOwnSummary(reflection) {
  const own = summaryText(reflection.comment);
  if (own.trim() === '') return false;
  return !(reflection.extendedTypes ?? []).some((base) => {
    const target = typeof base.target === 'number' ? byId.get(base.target) : undefined;
    return target != null && summaryText(target.comment) === own;
  });
}

const missing = [];
let functions = 0;
let classes = 0;
let interfaces = 0;
let namespaces = 0;

function visit(container, prefix) {
  for (const child of container.children ?? []) {
    const name = prefix ? `${prefix}.${child.name}` : child.name;
    if (CONTAINERS.has(child.kind)) {
      namespaces++;
      visit(child, name);
    } else if (child.kind === Kind.Function) {
      functions++;
      const signatures = child.signatures ?? [];
      const bare = signatures.filter((signature) => !hasSummary(signature.comment));
      if (signatures.length === 0 || bare.length > 0) {
        const which = signatures.length > 1 ? ` (${bare.length} of ${signatures.length} signatures)` : '';
        missing.push(`function ${name}${which}`);
      }
    } else if (child.kind === Kind.Class || child.kind === Kind.Interface) {
      const kind = child.kind === Kind.Class ? 'class' : 'interface';
      if (kind === 'class') classes++;
      else interfaces++;
      if (!hasOwnSummary(child)) missing.push(`${kind} ${name}`);
    }
  }
}

visit(project, '');

if (missing.length > 0) {
  console.error(`check-docs: ${missing.length} public symbols have no summary comment:`);
  for (const line of missing) console.error(`  ${line}`);
  process.exit(1);
}
console.log(
  `check-docs: ${functions} functions, ${classes} classes and ${interfaces} interfaces in ${namespaces} namespaces all have a summary`,
);
