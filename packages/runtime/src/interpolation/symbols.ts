/**
 * The names a template reads from its context, computed the way jinja2.meta.find_undeclared_variables
 * does (jinja2/idtracking.py): per frame, a name whose first reference is a load with no binding in
 * an enclosing frame, plus names only assigned inside `{% if %}` branches.
 */
import type { Expr, Stmt, Target } from './parser.js';

type Load = ['resolve', string] | ['alias' | 'undefined' | 'param', null];

class Symbols {
  readonly refs = new Map<string, string>();
  readonly loads = new Map<string, Load>();
  readonly stores = new Set<string>();
  readonly level: number;
  constructor(readonly parent: Symbols | null) {
    this.level = parent ? parent.level + 1 : 0;
  }
  private defineRef(name: string, load: Load): void {
    const id = `l_${this.level}_${name}`;
    this.refs.set(name, id);
    this.loads.set(id, load);
  }
  findRef(name: string): string | undefined {
    return this.refs.get(name) ?? this.parent?.findRef(name);
  }
  load(name: string): void {
    if (this.findRef(name) === undefined) this.defineRef(name, ['resolve', name]);
  }
  store(name: string): void {
    this.stores.add(name);
    if (this.refs.has(name)) return;
    if (this.parent?.findRef(name) !== undefined) this.defineRef(name, ['alias', null]);
    else this.defineRef(name, ['undefined', null]);
  }
  param(name: string): void {
    this.stores.add(name);
    this.defineRef(name, ['param', null]);
  }
  copy(): Symbols {
    const c = new Symbols(this.parent);
    for (const [k, v] of this.refs) c.refs.set(k, v);
    for (const [k, v] of this.loads) c.loads.set(k, v);
    for (const s of this.stores) c.stores.add(s);
    return c;
  }
  branchUpdate(branches: Symbols[]): void {
    const stores = new Set<string>();
    for (const b of branches) for (const s of b.stores) stores.add(s);
    for (const s of this.stores) stores.delete(s);
    for (const b of branches) {
      for (const [k, v] of b.refs) this.refs.set(k, v);
      for (const [k, v] of b.loads) this.loads.set(k, v);
      for (const s of b.stores) this.stores.add(s);
    }
    for (const name of stores) {
      const target = this.findRef(name) as string;
      if (this.parent?.findRef(name) !== undefined) this.loads.set(target, ['alias', null]);
      else this.loads.set(target, ['resolve', name]);
    }
  }
}

class FrameVisitor {
  constructor(public sym: Symbols) {}

  expr(e: Expr | null): void {
    if (!e) return;
    switch (e.t) {
      case 'const':
        return;
      case 'name':
        this.sym.load(e.name);
        return;
      case 'list':
      case 'tuple':
      case 'concat':
        e.items.forEach((x) => this.expr(x));
        return;
      case 'dict':
        for (const [k, v] of e.pairs) {
          this.expr(k);
          this.expr(v);
        }
        return;
      case 'getattr':
        this.expr(e.obj);
        return;
      case 'getitem':
        this.expr(e.obj);
        this.expr(e.index);
        return;
      case 'slice':
        this.expr(e.start);
        this.expr(e.stop);
        this.expr(e.step);
        return;
      case 'call':
        this.expr(e.fn);
        e.args.forEach((x) => this.expr(x));
        e.kwargs.forEach(([, x]) => this.expr(x));
        this.expr(e.star);
        this.expr(e.dstar);
        return;
      case 'filter':
      case 'test':
        this.expr(e.node);
        e.args.forEach((x) => this.expr(x));
        e.kwargs.forEach(([, x]) => this.expr(x));
        return;
      case 'unary':
        this.expr(e.node);
        return;
      case 'bin':
      case 'and':
      case 'or':
        this.expr(e.left);
        this.expr(e.right);
        return;
      case 'compare':
        this.expr(e.first);
        e.ops.forEach(([, x]) => this.expr(x));
        return;
      case 'cond':
        this.expr(e.test);
        this.expr(e.then);
        this.expr(e.else_);
        return;
    }
  }

  target(t: Target, asParam = false): void {
    if (t.t === 'name') {
      if (asParam) this.sym.param(t.name);
      else this.sym.store(t.name);
    } else if (t.t === 'tuple') t.items.forEach((x) => this.target(x, asParam));
    else this.sym.load(t.name);
  }

  stmt(st: Stmt): void {
    switch (st.t) {
      case 'data':
        return;
      case 'output':
        this.expr(st.expr);
        return;
      case 'set':
        this.expr(st.expr);
        this.target(st.target);
        return;
      case 'setblock':
        this.target(st.target);
        return;
      case 'for':
        this.expr(st.iter);
        return;
      case 'if': {
        this.expr(st.test);
        const original = this.sym;
        const inner = (visit: () => void): Symbols => {
          this.sym = original.copy();
          visit();
          const rv = this.sym;
          this.sym = original;
          return rv;
        };
        const body = inner(() => st.body.forEach((x) => this.stmt(x)));
        // Jinja keeps elif branches as nested If nodes visited in one shared copy.
        const elif = inner(() => {
          for (const [test, b] of st.elifs) {
            this.expr(test);
            const o2 = this.sym;
            this.sym = o2.copy();
            b.forEach((x) => this.stmt(x));
            const bs = this.sym;
            this.sym = o2;
            this.sym.branchUpdate([bs, o2.copy(), o2.copy()]);
          }
        });
        const els = inner(() => st.else_.forEach((x) => this.stmt(x)));
        this.sym.branchUpdate([body, elif, els]);
        return;
      }
    }
  }
}

function collect(sym: Symbols, out: Set<string>): void {
  for (const [, load] of sym.loads) if (load[0] === 'resolve') out.add(load[1]);
}

function mentionsLoop(stmts: Stmt[]): boolean {
  return JSON.stringify(stmts).includes('"name":"loop"');
}

/** Analyses a frame's statements, then the frames nested in them (for loops, set blocks). */
function frame(stmts: Stmt[], parent: Symbols | null, out: Set<string>, setup?: (v: FrameVisitor) => void): void {
  const sym = new Symbols(parent);
  const v = new FrameVisitor(sym);
  setup?.(v);
  stmts.forEach((s) => v.stmt(s));
  collect(v.sym, out);
  nested(stmts, v.sym, out);
}

function nested(stmts: Stmt[], sym: Symbols, out: Set<string>): void {
  for (const st of stmts) {
    if (st.t === 'if') {
      nested(st.body, sym, out);
      st.elifs.forEach(([, b]) => nested(b, sym, out));
      nested(st.else_, sym, out);
    } else if (st.t === 'for') {
      frame(st.body, sym, out, (v) => {
        if (mentionsLoop(st.body)) v.sym.param('loop');
        v.target(st.target, true);
      });
      if (st.else_.length) frame(st.else_, sym, out);
      if (st.test) {
        const test = st.test;
        frame([], sym, out, (v) => {
          v.target(st.target, true);
          v.expr(test);
        });
      }
    } else if (st.t === 'setblock') {
      frame(st.body, sym, out);
    }
  }
}

/** Names the template reads from its context (Jinja globals excluded by the caller). */
export function undeclaredVariables(body: Stmt[]): Set<string> {
  const out = new Set<string>();
  frame(body, null, out);
  return out;
}
