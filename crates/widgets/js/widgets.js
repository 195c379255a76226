// concord-qa/widgets: Concord's QA widgets as custom elements, for labeling tools that are not Concord.
//
//   <concord-qa-panel>          the instant check of one annotation (set `rules` and `annotation`, or `violations`)
//   <concord-agreement-matrix>  pairwise agreement between annotators (set `records`, or an `agreement()` `report`),
//                               with intervals; `minimum` hatches the pairs whose interval reaches across it
//   <concord-gold-report>       accuracy on gold items (set `records` and `gold`, or a `compareToGold()` `report`)
//
// Each element renders a Yew component (compiled to ./widgets/concord_widgets_bg.wasm) inside its own shadow root,
// styled by ./widgets.css only: the host page's CSS does not reach in (`:host { all: initial }` also stops inherited
// fonts and colours) and the widgets' CSS does not reach out. The numbers come from the engine module (./index.js);
// the widgets hold no QA logic. Data can be set as properties or as JSON attributes; events bubble out of the
// shadow root (`composed`). Browser only (custom elements); in Node use ./index.js.
import initWidgets, { mount } from './widgets/concord_widgets.js';
import { agreement, compareToGold, validate } from './index.js';

await initWidgets({ module_or_path: new URL('./widgets/concord_widgets_bg.wasm', import.meta.url) });

const stylesheet = new URL('./widgets.css', import.meta.url).href;

class ConcordWidget extends HTMLElement {
  /** Properties that may also be given as JSON attributes. */
  static jsonProperties = [];
  static textProperties = [];
  static get observedAttributes() {
    return [...this.jsonProperties, ...this.textProperties];
  }

  constructor() {
    super();
    this._values = {};
    this._widget = null;
    const shadow = this.attachShadow({ mode: 'open' });
    // A stylesheet file, not a <style> element: a page with a strict CSP (style-src 'self') allows it.
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = stylesheet;
    this._error = document.createElement('p');
    this._error.className = 'error';
    this._error.setAttribute('role', 'alert');
    this._error.hidden = true;
    this._root = document.createElement('div');
    this._root.className = 'root';
    shadow.append(link, this._error, this._root);
    for (const name of this.constructor.observedAttributes) {
      // A property set before the element was upgraded shadows the accessor: take its value over.
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const v = this[name];
        delete this[name];
        this._values[name] = v;
      }
    }
  }

  connectedCallback() {
    if (this._widget) return;
    this._widget = mount(this.constructor.kind, this._root, (type, detail) => {
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    });
    this._update();
  }

  disconnectedCallback() {
    if (!this._widget) return;
    this._widget.destroy();
    this._widget.free();
    this._widget = null;
  }

  attributeChangedCallback(name, _old, value) {
    if (value === null) {
      this._set(name, undefined);
    } else if (this.constructor.jsonProperties.includes(name)) {
      try {
        this._set(name, JSON.parse(value));
      } catch (e) {
        this._fail(`attribute ${name}: ${e.message}`);
      }
    } else {
      this._set(name, value);
    }
  }

  _set(name, value) {
    this._values[name] = value;
    this._update();
  }

  _update() {
    if (!this._widget) return;
    let data;
    try {
      data = this._data(this._values);
    } catch (e) {
      this._fail(e.message);
      return;
    }
    if (data === undefined) return;
    this._error.hidden = true;
    this._error.textContent = '';
    this._widget.set(data);
  }

  _fail(message) {
    this._error.textContent = message;
    this._error.hidden = false;
    this.dispatchEvent(new CustomEvent('concord-error', { detail: { message }, bubbles: true, composed: true }));
  }
}

function property(cls, name) {
  Object.defineProperty(cls.prototype, name, {
    get() {
      return this._values[name];
    },
    set(v) {
      this._set(name, v);
    },
    configurable: true,
  });
}

export class ConcordQaPanel extends ConcordWidget {
  static kind = 'qa-panel';
  static jsonProperties = ['rules', 'annotation', 'violations'];
  static textProperties = ['heading'];

  _data({ rules, annotation, violations, heading }) {
    if (rules !== undefined && annotation !== undefined) {
      violations = validate(annotation, rules);
      this._last = violations;
      const blocking = violations.some((v) => v.severity === 'error');
      const detail = { violations, blocking };
      this.dispatchEvent(new CustomEvent('concord-validated', { detail, bubbles: true, composed: true }));
      if (violations.length > 0) {
        this.dispatchEvent(new CustomEvent('concord-violation', { detail, bubbles: true, composed: true }));
      }
    }
    if (violations === undefined) return undefined;
    return { violations, heading };
  }

  /** The violations shown now: the last validation's, or those set. */
  get result() {
    const { rules, annotation, violations } = this._values;
    return rules !== undefined && annotation !== undefined ? this._last : violations;
  }
}

export class ConcordAgreementMatrix extends ConcordWidget {
  static kind = 'agreement-matrix';
  static jsonProperties = ['records', 'report'];
  static textProperties = ['measure', 'minimum', 'replicates'];

  /** From `records`, the report carries 95 % bootstrap intervals (1,000 replicates, seed 0, unless `replicates`
   * says otherwise); `minimum` hatches the pairs whose interval reaches across it. */
  _data({ records, report, measure, minimum, replicates }) {
    if (report === undefined && records !== undefined) {
      report = agreement(records, { replicates: replicates === undefined ? 1000 : Number(replicates) });
    }
    if (report === undefined) return undefined;
    return { report, measure, minimum: minimum === undefined || minimum === null || minimum === '' ? undefined : Number(minimum) };
  }
}

export class ConcordGoldReport extends ConcordWidget {
  static kind = 'gold-report';
  static jsonProperties = ['records', 'gold', 'report'];

  _data({ records, gold, report }) {
    if (report === undefined && records !== undefined && gold !== undefined) report = compareToGold(records, gold);
    if (report === undefined) return undefined;
    return { report };
  }
}

for (const cls of [ConcordQaPanel, ConcordAgreementMatrix, ConcordGoldReport]) {
  for (const name of cls.observedAttributes) property(cls, name);
}

/** Defines the three elements (once; a second import of this module is harmless). */
for (const [tag, cls] of [
  ['concord-qa-panel', ConcordQaPanel],
  ['concord-agreement-matrix', ConcordAgreementMatrix],
  ['concord-gold-report', ConcordGoldReport],
]) {
  if (!customElements.get(tag)) customElements.define(tag, cls);
}
