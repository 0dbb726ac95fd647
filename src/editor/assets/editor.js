// oit025 edit: the page. Forms are made from each file's JSON Schema (a field's label is its
// `title`, its help its `description`); every change is kept as an edit of one value or one list
// item, checked by the server as the person types and written by it on save, so that the YAML
// changes only where the person changed something. User text only ever goes into the page as
// text (textContent, value), never as HTML.
'use strict';

const TOKEN = document.querySelector('meta[name="oit025-token"]').content;
const ORDER = ['agency.yaml', 'scores.yaml', 'analysis.yaml', 'measures.yaml',
  'recommendations.yaml', 'assessment.yaml'];
const FILE_TITLES = {
  'agency.yaml': 'หน่วยงาน', 'scores.yaml': 'คะแนน', 'analysis.yaml': 'ผลการวิเคราะห์',
  'measures.yaml': 'มาตรการ', 'recommendations.yaml': 'ข้อเสนอแนะ', 'assessment.yaml': 'กรอบการประเมิน',
};
const FILL_IN = '(กรอก)';
const CHECK_PAUSE_MS = 600;

// The year being edited: its files as read, the edits not saved yet, the last problems.
let S = null;
let checkTimer = null;
let checkSerial = 0;

// ---------------------------------------------------------------- small helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function api(method, route, body) {
  const headers = { 'X-OIT025-Token': TOKEN };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let r;
  try {
    r = await fetch('/api/' + route, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { status: 0, data: { error: 'oit025 edit is not running / โปรแกรมไม่ได้ทำงานอยู่' } };
  }
  let data = null;
  try { data = await r.json(); } catch (e) { data = { error: r.statusText }; }
  return { status: r.status, data };
}

function say(text, kind) {
  const st = document.getElementById('status');
  st.textContent = text;
  st.className = kind || '';
}

function thaiDigits(s) {
  return String(s).replace(/[0-9]/g, (d) => '๐๑๒๓๔๕๖๗๘๙'[d]);
}

function idFor(file, path) {
  return 'f-' + file.replace('.yaml', '') + '-' + path.replace(/[^A-Za-z0-9_]/g, '_');
}

function child(path, key) {
  return typeof key === 'number' ? `${path}[${key}]` : (path ? `${path}.${key}` : key);
}

function getAt(data, path) {
  let v = data;
  for (const part of path.match(/[^.[\]]+/g) || []) {
    if (v === null || v === undefined) return undefined;
    v = v[/^\d+$/.test(part) ? Number(part) : part];
  }
  return v;
}

function setAt(data, path, value) {
  const parts = (path.match(/[^.[\]]+/g) || []).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  let v = data;
  for (const p of parts.slice(0, -1)) v = v[p];
  v[parts[parts.length - 1]] = value;
}

// ---------------------------------------------------------------- schemas

function deref(root, s) {
  let out = s || {};
  let guard = 0;
  while (out.$ref && guard++ < 20) {
    const target = root.$defs[out.$ref.split('/').pop()] || {};
    out = Object.assign({}, target, {
      title: out.title || target.title, description: out.description || target.description,
    });
    delete out.$ref;
    if (target.$ref) out.$ref = target.$ref;
  }
  return out;
}

// What a field is: {type, schema, nullable, choices}. `type` is object, array, choice,
// either (an object or a text, as a period), or scalar.
function kindOf(root, s) {
  let schema = deref(root, s);
  let nullable = false;
  if (schema.anyOf) {
    const other = schema.anyOf.filter((b) => b.type !== 'null');
    nullable = other.length < schema.anyOf.length;
    schema = Object.assign({}, deref(root, other[0]),
      { title: schema.title || deref(root, other[0]).title,
        description: schema.description || deref(root, other[0]).description });
  }
  let type = schema.type;
  if (Array.isArray(type)) {
    nullable = nullable || type.includes('null');
    type = type.find((t) => t !== 'null');
  }
  if (schema.enum) return { type: 'choice', schema, nullable, choices: schema.enum.map((c) => ({ value: c })) };
  if (schema.oneOf) {
    const branches = schema.oneOf.map((b) => deref(root, b));
    if (branches.every((b) => b.const !== undefined)) {
      return { type: 'choice', schema, nullable,
        choices: branches.map((b) => ({ value: b.const, help: b.description })) };
    }
    if (branches.some((b) => b.type === 'object')) {
      return { type: 'either', schema, nullable, object: branches.find((b) => b.type === 'object') };
    }
    return { type: 'scalar', schema, nullable, plain: true };
  }
  if (type === 'object') return { type: 'object', schema, nullable };
  if (type === 'array') return { type: 'array', schema, nullable };
  const plain = type === 'number' || type === 'integer' || schema.format === 'date';
  return { type: 'scalar', schema, nullable, plain };
}

function isGrid(root, arraySchema) {
  const item = kindOf(root, arraySchema.items || {});
  if (item.type !== 'object') return false;
  const props = Object.values(item.schema.properties || {});
  return props.length > 0 && props.every((p) => ['scalar', 'choice'].includes(kindOf(root, p).type));
}

// A new item of a list, as the schema requires it: blanks where the person types.
function blank(root, s) {
  const k = kindOf(root, s);
  if (k.type === 'object') {
    const out = {};
    for (const key of k.schema.required || []) out[key] = blank(root, k.schema.properties[key]);
    return out;
  }
  if (k.type === 'either') return '';
  if (k.type === 'array') return [];
  if (k.type === 'choice') return k.choices[0].value;
  return '';
}

// ---------------------------------------------------------------- edits

function edit(file, op) {
  const ops = S.ops[file];
  const last = ops[ops.length - 1];
  if (op.op === 'set' && last && last.op === 'set' && last.path === op.path) ops[ops.length - 1] = op;
  else ops.push(op);
  markDirty();
  scheduleCheck();
}

function dirty() {
  return S && Object.values(S.ops).some((o) => o.length > 0);
}

function markDirty() {
  const save = document.getElementById('save');
  if (save) save.textContent = dirty() ? 'บันทึก* / Save*' : 'บันทึก / Save';
}

function pending() {
  const files = {};
  for (const [name, ops] of Object.entries(S.ops)) {
    if (ops.length) files[name] = { version: S.files[name].version, ops };
  }
  return files;
}

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runCheck, CHECK_PAUSE_MS);
}

async function runCheck() {
  const serial = ++checkSerial;
  const r = await api('POST', 'check', { year: S.year, files: pending() });
  if (serial !== checkSerial || !S) return;
  if (r.status === 200) showProblems(r.data.diagnostics);
}

// ---------------------------------------------------------------- fields

function labelFor(k, key) {
  return k.schema.title || String(key);
}

function scalarInput(file, path, k, value, label, opts) {
  const id = idFor(file, path);
  const text = value === null || value === undefined ? '' : String(value);
  const unfilled = text === FILL_IN;
  const long = !opts.short && !k.plain && (text.length > 50 || text.includes('\n') || opts.long);
  let input;
  if (k.type === 'choice') {
    input = h('select', { id }, k.choices.map((c) =>
      h('option', { value: c.value, selected: String(c.value) === text }, c.help ? `${c.value} (${c.help})` : c.value)));
  } else if (long) {
    input = h('textarea', { id, rows: Math.min(8, Math.max(2, Math.ceil(text.length / 70))), dir: 'auto' });
    input.value = unfilled ? '' : text;
  } else {
    input = h('input', { id, type: 'text', dir: 'auto', inputmode: k.plain && k.schema.format !== 'date' ? 'decimal' : null });
    input.value = unfilled ? '' : text;
  }
  if (unfilled) {
    input.placeholder = 'ยังไม่ได้กรอก / to fill in';
    input.classList.add('unfilled');
  }
  if (opts.list) input.setAttribute('list', opts.list);
  input.dataset.file = file;
  input.dataset.path = path;
  if (opts.ariaLabel) input.setAttribute('aria-label', opts.ariaLabel);
  input.readOnly = !!S.sealed;
  if (S.sealed && input.tagName === 'SELECT') input.disabled = true;
  input.addEventListener(k.type === 'choice' ? 'change' : 'input', () => {
    if (input.classList.contains('unfilled') && input.value === '') return;
    input.classList.remove('unfilled');
    setAt(S.files[file].data, path, input.value);
    edit(file, { op: 'set', path, value: input.value, plain: !!k.plain });
  });
  return input;
}

function field(file, path, s, value, key, opts) {
  const root = S.files[file].schema;
  const k = kindOf(root, s);
  const title = labelFor(k, key);
  if (k.type === 'object' || (k.type === 'either' && value && typeof value === 'object')) {
    const schema = k.type === 'either' ? k.object : k.schema;
    const set = h('fieldset', { 'data-file': file, 'data-path': path },
      h('legend', { text: opts.item ? key : (k.schema.title || schema.title || key) }));
    if (k.schema.description) set.append(h('p', { class: 'help', text: k.schema.description }));
    for (const [name, prop] of Object.entries(schema.properties || {})) {
      const v = value ? value[name] : undefined;
      if (v === undefined && !shownAbsent(root, prop, schema, name)) continue;
      set.append(field(file, child(path, name), prop, v, name, {}));
    }
    return set;
  }
  if (k.type === 'array') {
    if (isGrid(root, k.schema)) return grid(file, path, k, value || [], title);
    return list(file, path, k, value || [], title);
  }
  const id = idFor(file, path);
  const wrap = h('div', { class: 'field', 'data-file': file, 'data-path': path });
  const label = opts.item ? key : title;
  wrap.append(h('label', { for: id, text: label }));
  // Units come from the agency's list, measure ids from the measures: offered as one types.
  let choices = null;
  if (/(^|\.)units\[\d+\]$/.test(path) && file === 'measures.yaml') choices = 'units-list';
  if (/^analysis\[\d+\]\.measures\[\d+\]$/.test(path)) choices = 'measures-list';
  const input = scalarInput(file, path, k, value, label, Object.assign({ list: choices }, opts));
  wrap.append(input);
  if (k.schema.description) {
    const help = h('p', { class: 'help', id: id + '-help', text: k.schema.description });
    input.setAttribute('aria-describedby', help.id);
    wrap.append(help);
  }
  return wrap;
}

// A field the file leaves out is still offered where typing it adds one line (a value); a
// left-out map or list is not (the file shows where it goes, with its comment).
function shownAbsent(root, prop, parent, name) {
  if ((parent.required || []).includes(name)) return true;
  return ['scalar', 'choice', 'either'].includes(kindOf(root, prop).type);
}

// A list of fieldsets (or of texts), with add, remove, up and down.
function list(file, path, k, items, title) {
  const root = S.files[file].schema;
  const itemSchema = k.schema.items || {};
  const itemKind = kindOf(root, itemSchema);
  const box = h('fieldset', { class: 'list', 'data-file': file, 'data-path': path },
    h('legend', { text: title }));
  if (k.schema.description) box.append(h('p', { class: 'help', text: k.schema.description }));
  const ol = h('ol');
  items.forEach((item, i) => {
    const n = thaiDigits(i + 1);
    const li = h('li', { 'data-file': file, 'data-path': child(path, i) });
    li.append(field(file, child(path, i), itemSchema, item, `${title} ${n}`,
      { item: true, long: itemKind.type === 'scalar' && !itemKind.plain }));
    if (!S.sealed) {
      li.append(h('div', { class: 'item-tools' },
        h('button', { type: 'button', 'aria-label': `เลื่อนขึ้น ${title} ${n} / move up`, disabled: i === 0,
          onclick: () => structural(file, { op: 'move', list: path, from: i, to: i - 1 }, path, (a) => a.splice(i - 1, 0, a.splice(i, 1)[0])) }, '↑'),
        h('button', { type: 'button', 'aria-label': `เลื่อนลง ${title} ${n} / move down`, disabled: i === items.length - 1,
          onclick: () => structural(file, { op: 'move', list: path, from: i, to: i + 1 }, path, (a) => a.splice(i + 1, 0, a.splice(i, 1)[0])) }, '↓'),
        h('button', { type: 'button', class: 'remove', 'aria-label': `ลบ ${title} ${n} / remove`,
          onclick: () => structural(file, { op: 'remove', path: child(path, i) }, path, (a) => a.splice(i, 1)) }, 'ลบ')));
    }
    ol.append(li);
  });
  box.append(ol);
  if (!S.sealed) {
    box.append(h('button', { type: 'button', class: 'add',
      onclick: () => {
        const item = blank(root, itemSchema);
        structural(file, { op: 'insert', list: path, index: items.length, item }, path, (a) => a.push(item));
      } }, `เพิ่ม ${title} / add`));
  }
  return box;
}

// A table for lists of flat rows (scores, units, weights): a block pasted from a spreadsheet
// or a web table (tab-separated rows) fills the cells it covers, adding rows where needed.
function grid(file, path, k, rows, title) {
  const root = S.files[file].schema;
  const item = kindOf(root, k.schema.items);
  const columns = Object.entries(item.schema.properties);
  const box = h('fieldset', { class: 'grid', 'data-file': file, 'data-path': path }, h('legend', { text: title }));
  if (k.schema.description) box.append(h('p', { class: 'help', text: k.schema.description }));
  box.append(h('p', { class: 'help', text: 'วางตารางจาก Excel หรือหน้าเว็บลงในช่องใดก็ได้ / paste a block from a spreadsheet into any cell' }));
  const table = h('table');
  table.append(h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: '#' }),
    columns.map(([name, s]) => h('th', { scope: 'col', text: kindOf(root, s).schema.title || name })),
    S.sealed ? null : h('th', { scope: 'col', text: 'ลบ' }))));
  const body = h('tbody');
  rows.forEach((row, r) => {
    const tr = h('tr', { 'data-file': file, 'data-path': child(path, r) }, h('th', { scope: 'row', text: thaiDigits(r + 1) }));
    columns.forEach(([name, s], c) => {
      const ck = kindOf(root, s);
      const cellPath = child(child(path, r), name);
      const label = `${ck.schema.title || name} แถวที่ ${thaiDigits(r + 1)}`;
      const input = scalarInput(file, cellPath, ck, row ? row[name] : '', label, { ariaLabel: label, short: true });
      input.addEventListener('paste', (e) => paste(e, file, path, columns, r, c));
      const td = h('td', { 'data-file': file, 'data-path': cellPath }, input);
      tr.append(td);
    });
    if (!S.sealed) {
      tr.append(h('td', {}, h('button', { type: 'button', class: 'remove', 'aria-label': `ลบแถวที่ ${thaiDigits(r + 1)} ของ ${title} / remove row`,
        onclick: () => structural(file, { op: 'remove', path: child(path, r) }, path, (a) => a.splice(r, 1)) }, '×')));
    }
    body.append(tr);
  });
  table.append(body);
  box.append(h('div', { class: 'scroll' }, table));
  if (!S.sealed) {
    box.append(h('button', { type: 'button', class: 'add', onclick: () => {
      const blankRow = blank(root, k.schema.items);
      structural(file, { op: 'insert', list: path, index: rows.length, item: blankRow }, path, (a) => a.push(blankRow));
    } }, `เพิ่มแถว ${title} / add a row`));
  }
  return box;
}

function paste(e, file, path, columns, r0, c0) {
  const text = (e.clipboardData || window.clipboardData).getData('text/plain');
  if (!/[\t\n]/.test(text.trim()) || S.sealed) return;
  e.preventDefault();
  const lines = text.replace(/\r/g, '').replace(/\n+$/, '').split('\n').map((l) => l.split('\t'));
  const root = S.files[file].schema;
  const rows = getAt(S.files[file].data, path);
  lines.forEach((cells, dr) => {
    const r = r0 + dr;
    if (r >= rows.length) {
      const item = blank(root, kindOf(root, getSchemaItems(root, file, path)).schema);
      rows.push(item);
      edit(file, { op: 'insert', list: path, index: r, item });
    }
    cells.forEach((cell, dc) => {
      const c = c0 + dc;
      if (c >= columns.length) return;
      const [name, s] = columns[c];
      const value = cell.trim();
      // An empty cell of the block leaves the cell as it is (a column this row does not have).
      if (value === '') return;
      const k = kindOf(root, s);
      const cellPath = child(child(path, r), name);
      rows[r][name] = value;
      edit(file, { op: 'set', path: cellPath, value, plain: !!k.plain });
    });
  });
  rerender(file);
  say(`วางข้อมูล ${thaiDigits(lines.length)} แถวแล้ว (ยังไม่บันทึก) / pasted ${lines.length} rows (not saved yet)`);
}

function getSchemaItems(root, file, path) {
  const key = path.replace(/\[\d+\]/g, '').split('.');
  let s = root;
  for (const k of key) s = kindOf(root, s).schema.properties[k];
  return kindOf(root, s).schema.items;
}

// A list item added, removed or moved: the edit is kept and the file's form drawn again.
function structural(file, op, listPath, change) {
  const data = S.files[file].data;
  let arr = getAt(data, listPath);
  if (!Array.isArray(arr)) { arr = []; setAt(data, listPath, arr); }
  change(arr);
  edit(file, op);
  rerender(file);
}

// ---------------------------------------------------------------- problems

function showProblems(diags) {
  S.diags = diags || [];
  document.querySelectorAll('.problem').forEach((p) => p.remove());
  document.querySelectorAll('[aria-invalid]').forEach((el) => {
    el.removeAttribute('aria-invalid');
    const d = (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => !x.startsWith('err-'));
    if (d.length) el.setAttribute('aria-describedby', d.join(' ')); else el.removeAttribute('aria-describedby');
  });
  const box = document.getElementById('problems');
  if (!box) return;
  box.replaceChildren();
  const fill = S.diags.filter((d) => d.code === 'content.fill-in').length;
  const shown = S.diags.filter((d) => d.code !== 'content.fill-in' && d.code !== 'content.fill-in-count');
  const errors = shown.filter((d) => d.severity === 'error').length;
  const progress = document.getElementById('progress');
  progress.textContent = `ยังต้องกรอก ${thaiDigits(fill)} ช่อง · ข้อผิดพลาด ${thaiDigits(errors)} · คำเตือน ${thaiDigits(shown.length - errors)}`
    + ` / ${fill} to fill in, ${errors} errors, ${shown.length - errors} warnings`;
  if (fill) {
    progress.append(' ', h('button', { type: 'button', id: 'next-fill', onclick: nextToFill },
      'ไปช่องถัดไปที่ยังไม่กรอก / next place to fill in'));
  }
  const ul = h('ul');
  S.diags.forEach((d, i) => {
    if (d.code === 'content.fill-in-count') return;
    const target = d.name && d.path !== undefined ? findField(d.name, d.path) : null;
    if (target) attach(target, d, i);
    // Each place still to fill shows at its field and in the count, not in the list.
    if (d.code === 'content.fill-in') return;
    const where = d.file ? `${d.file}${d.line ? ':' + d.line + ':' + d.column : ''}` : '';
    const text = `${d.severity === 'error' ? 'ข้อผิดพลาด' : 'คำเตือน'}: ${d.th} / ${d.en}`;
    const li = h('li', { class: d.severity },
      target ? h('button', { type: 'button', class: 'link', onclick: () => jump(d.name, target) }, text) : h('span', { text }),
      where ? h('small', { text: ` [${d.code}] ${where}` }) : null);
    ul.append(li);
  });
  if (ul.children.length) box.append(h('h2', { text: 'ปัญหาที่พบ / problems' }), ul);
  else box.append(h('p', { class: 'ok', text: 'ไม่พบปัญหา / no problems' }));
}

function nextToFill() {
  const all = ORDER.flatMap((f) => Array.from(document.querySelectorAll(`[data-file="${f}"].unfilled`)));
  const now = all.indexOf(document.activeElement);
  const next = all[(now + 1) % all.length];
  if (next) jump(next.dataset.file, next);
}

function findField(file, path) {
  let p = path || '';
  for (;;) {
    const el = document.querySelector(`[data-file="${file}"][data-path="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut < 0) return null;
    p = p.slice(0, cut);
  }
}

function attach(target, d, i) {
  const input = target.matches('input,textarea,select') ? target : target.querySelector('input,textarea,select');
  const msg = h('p', { class: `problem ${d.severity}`, id: `err-${i}`, text: `${d.th} / ${d.en}` });
  for (const hint of d.hints || []) msg.append(h('span', { class: 'hint', text: ` ${hint.th} / ${hint.en}` }));
  if (target.tagName === 'TD') target.append(msg);
  else if (target.tagName === 'FIELDSET' || target.tagName === 'LI' || target.tagName === 'TR') {
    (target.tagName === 'TR' ? target.lastElementChild : target).append(msg);
  } else target.append(msg);
  if (input && d.severity === 'error') input.setAttribute('aria-invalid', 'true');
  if (input) {
    const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    input.setAttribute('aria-describedby', ids.concat(msg.id).join(' '));
  }
}

function jump(file, target) {
  showTab(file);
  const input = target.matches('input,textarea,select') ? target : target.querySelector('input,textarea,select,button');
  (input || target).scrollIntoView({ block: 'center' });
  if (input) input.focus();
}

// ---------------------------------------------------------------- the year page

function showTab(file) {
  document.querySelectorAll('[role=tab]').forEach((t) => {
    const on = t.dataset.file === file;
    t.setAttribute('aria-selected', on);
    t.tabIndex = on ? 0 : -1;
  });
  document.querySelectorAll('[role=tabpanel]').forEach((p) => { p.hidden = p.dataset.file !== file; });
  S.tab = file;
}

function rerender(file) {
  const panel = document.getElementById('panel-' + file.replace('.yaml', ''));
  const focused = document.activeElement && document.activeElement.id;
  panel.replaceChildren(form(file));
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  showProblems(S.diags);
}

function form(file) {
  const f = S.files[file];
  if (f.data === null || typeof f.data !== 'object') {
    return h('p', { class: 'problem error', text: `${file}: อ่านไฟล์ไม่ได้ แก้ในโปรแกรมแก้ข้อความตามปัญหาที่แสดง / the file does not read as YAML: fix it in a text editor as the problems say` });
  }
  const root = f.schema;
  const out = h('div', { class: 'form' });
  for (const [name, prop] of Object.entries(root.properties || {})) {
    const v = f.data[name];
    if (v === undefined && !shownAbsent(root, prop, root, name)) continue;
    out.append(field(file, name, prop, v, name, {}));
  }
  return out;
}

function choiceLists() {
  const agency = S.files['agency.yaml'].data || {};
  const measures = (S.files['measures.yaml'].data || {}).measures || [];
  return [
    h('datalist', { id: 'units-list' }, (agency.units || []).map((u) =>
      h('option', { value: u.code || '' }, u.name || ''))),
    h('datalist', { id: 'measures-list' }, measures.map((m) =>
      h('option', { value: m.id || '' }, m.title || ''))),
  ];
}

async function openYear(year) {
  say('กำลังโหลด… / loading…');
  const r = await api('GET', 'year/' + year);
  if (r.status !== 200) { say(errorText(r), 'error'); return; }
  S = { year, files: r.data.files, sealed: r.data.sealed, ops: {}, diags: [], tab: S && S.year === year ? S.tab : ORDER[0] };
  for (const name of ORDER) S.ops[name] = [];
  drawYear();
  say('');
  runCheck();
}

function drawYear() {
  const main = document.getElementById('main');
  document.title = `ปีงบประมาณ ${S.year} · oit025`;
  const tools = h('div', { class: 'tools' },
    h('button', { type: 'button', id: 'save', onclick: save, disabled: !!S.sealed }, 'บันทึก / Save'),
    h('button', { type: 'button', onclick: () => command('build', { year: S.year }) }, 'สร้าง PDF / Build'),
    h('button', { type: 'button', onclick: () => command('publish', {}) }, 'เผยแพร่ / Publish'),
    h('button', { type: 'button', disabled: !!S.sealed, onclick: () => {
      if (confirm(`ปิดผนึกปีงบประมาณ ${S.year}? หลังจากนี้จะแก้ไขปีนี้ไม่ได้ / Seal fiscal year ${S.year}? It cannot be edited afterwards.`)) {
        command('archive', { year: S.year });
      }
    } }, 'ปิดผนึก / Archive'));
  const tabs = h('div', { role: 'tablist', 'aria-label': 'ไฟล์ของปี / the year\'s files' },
    ORDER.map((name) => h('button', { type: 'button', role: 'tab', id: 'tab-' + name.replace('.yaml', ''),
      'data-file': name, 'aria-controls': 'panel-' + name.replace('.yaml', ''),
      onclick: () => showTab(name), onkeydown: tabKeys }, `${FILE_TITLES[name]} (${name})`)));
  const panels = ORDER.map((name) => h('section', { role: 'tabpanel', id: 'panel-' + name.replace('.yaml', ''),
    'data-file': name, 'aria-labelledby': 'tab-' + name.replace('.yaml', '') }, form(name)));
  const sealed = S.sealed ? h('p', { class: 'sealed', role: 'note', text: `${S.sealed.th} / ${S.sealed.en}` }) : null;
  const left = h('div', { class: 'edit' },
    h('h1', { text: `รายงาน o25 ปีงบประมาณ ${thaiDigits(S.year)} / fiscal year ${S.year}` }),
    h('p', {}, h('a', { href: '#' }, '← ทุกปีงบประมาณ / all years')),
    sealed, tools, h('p', { id: 'progress' }), h('div', { id: 'problems' }), tabs, panels, choiceLists());
  const pdf = h('iframe', { id: 'pdf', title: `PDF ปีงบประมาณ ${S.year} / the PDF`, src: pdfUrl() });
  main.replaceChildren(h('div', { class: 'year' }, left, h('div', { class: 'preview' }, pdf)));
  showTab(S.tab);
}

function tabKeys(e) {
  const i = ORDER.indexOf(e.currentTarget.dataset.file);
  let j = null;
  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') j = (i + 1) % ORDER.length;
  if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') j = (i + ORDER.length - 1) % ORDER.length;
  if (e.key === 'Home') j = 0;
  if (e.key === 'End') j = ORDER.length - 1;
  if (j === null) return;
  e.preventDefault();
  showTab(ORDER[j]);
  document.getElementById('tab-' + ORDER[j].replace('.yaml', '')).focus();
}

function pdfUrl() {
  return `/pdf/${S.year}?t=${TOKEN}&n=${Date.now()}`;
}

function errorText(r) {
  if (r.data && r.data.error) return r.data.error;
  if (r.data && r.data.diagnostics) return r.data.diagnostics.map((d) => `${d.th} / ${d.en}`).join('; ');
  return `HTTP ${r.status}`;
}

async function save() {
  if (!S || S.sealed) return;
  clearTimeout(checkTimer);
  checkSerial++;
  say('กำลังบันทึกและสร้าง PDF… / saving and building…');
  const r = await api('POST', 'save', { year: S.year, files: pending() });
  if (r.status === 409) {
    const names = r.data.conflicts.join(', ');
    const box = h('div', { class: 'conflict', role: 'alert' },
      h('p', { text: `ไฟล์ ${names} ถูกแก้ไขจากที่อื่นหลังจากหน้านี้โหลด จึงยังไม่ได้บันทึก / ${names} changed on disk since this page read it: nothing was saved.` }),
      h('button', { type: 'button', onclick: () => openYear(S.year) }, 'โหลดใหม่ (ทิ้งที่แก้ไว้) / reload (drop my edits)'));
    document.getElementById('problems').prepend(box);
    say('ไม่ได้บันทึก: ไฟล์ถูกแก้ไขจากที่อื่น / not saved: changed on disk', 'error');
    return;
  }
  if (r.status !== 200) { say('บันทึกไม่ได้ / not saved: ' + errorText(r), 'error'); return; }
  afterBuild(r.data, 'บันทึกแล้ว / saved');
}

function afterBuild(data, what) {
  const tab = S.tab;
  S = { year: S.year, files: data.files, sealed: data.sealed, ops: {}, diags: [], tab };
  for (const name of ORDER) S.ops[name] = [];
  drawYear();
  showProblems(data.diagnostics);
  say(data.built ? `${what} · สร้าง PDF แล้ว / PDF built (${data.ms} ms)` : `${what} · ยังสร้าง PDF ไม่ได้ ดูปัญหาที่พบ / PDF not built: see the problems`,
    data.built ? 'ok' : 'error');
}

async function command(name, args) {
  if (name === 'build' && dirty()) { await save(); return; }
  say('กำลังทำงาน… / working…');
  const r = await api('POST', name, args);
  if (name === 'build' && r.status === 200) { afterBuild(r.data, 'สร้างใหม่ / rebuilt'); return; }
  if (r.status !== 200) { say(errorText(r), 'error'); return; }
  const problems = (r.data.diagnostics || []).map((d) => `${d.th} / ${d.en}`).join('; ');
  if (r.data.ok) {
    const what = { publish: 'เผยแพร่ / published', archive: 'ปิดผนึก / sealed', new: 'เริ่มปีใหม่ / new year', init: 'สร้างโปรเจกต์ / project made' }[name] || name;
    const result = Array.isArray(r.data.result) ? `${r.data.result.length} files` : (r.data.result || '');
    say(`เสร็จแล้ว / done: ${what} ${result}`, 'ok');
    if (name === 'archive' && S) openYear(S.year);
    if (name === 'new' || name === 'init') route();
  } else {
    say(`${name}: ${problems}`, 'error');
  }
}

// ---------------------------------------------------------------- the project page

async function home() {
  S = null;
  document.title = 'oit025 · แก้ไขรายงาน o25';
  const main = document.getElementById('main');
  const r = await api('GET', 'project');
  if (r.status !== 200) { main.replaceChildren(h('p', { class: 'problem error', text: errorText(r) })); return; }
  if (!r.data.exists) { main.replaceChildren(start(r.data.root)); return; }
  const rows = r.data.years.map((y) => h('tr', {},
    h('th', { scope: 'row' }, h('a', { href: '#' + y.year }, `ปีงบประมาณ ${thaiDigits(y.year)}`)),
    h('td', { text: y.errors === 0 && y.fill === 0 ? 'ผ่านการตรวจ / passes' : `ปัญหา ${thaiDigits(y.errors)} / ${y.errors} problems` }),
    h('td', { text: `${thaiDigits(y.fill)} / ${y.fill}` }),
    h('td', { text: y.built ? 'สร้างแล้ว / built' : '—' }),
    h('td', { text: y.sealed ? 'ปิดผนึกแล้ว / sealed' : '—' })));
  const latest = r.data.years.length ? r.data.years[0].year : 2569;
  const next = h('input', { id: 'new-year', type: 'text', inputmode: 'numeric', value: String(latest + 1) });
  main.replaceChildren(
    h('h1', { text: 'ปีงบประมาณในโปรเจกต์ / the project\'s years' }),
    h('p', { class: 'help', text: r.data.root }),
    h('table', { class: 'years' },
      h('thead', {}, h('tr', {}, ['ปี / year', 'สถานะ / state', 'ยังต้องกรอก / to fill in', 'PDF', 'ปิดผนึก / sealed']
        .map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows)),
    h('h2', { text: 'เริ่มปีงบประมาณถัดไป / start the next year' }),
    h('div', { class: 'field' }, h('label', { for: 'new-year', text: 'ปีงบประมาณใหม่ (พ.ศ.) / new fiscal year' }), next,
      h('button', { type: 'button', onclick: () => command('new', { year: Number(next.value) }) }, 'เริ่มปีใหม่ / start year')));
}

function start(root) {
  const agency = h('input', { id: 'init-agency', type: 'text', dir: 'auto' });
  const abbr = h('input', { id: 'init-abbreviation', type: 'text', dir: 'auto' });
  const year = h('input', { id: 'init-year', type: 'text', inputmode: 'numeric' });
  return h('div', { class: 'start' },
    h('h1', { text: 'เริ่มโปรเจกต์ของหน่วยงาน / start a project' }),
    h('p', { text: `โฟลเดอร์นี้ยังไม่มีรายงาน / this folder holds no report yet: ${root}` }),
    h('div', { class: 'field' }, h('label', { for: 'init-agency', text: 'ชื่อเต็มของหน่วยงาน / agency name' }), agency),
    h('div', { class: 'field' }, h('label', { for: 'init-abbreviation', text: 'อักษรย่อ / abbreviation' }), abbr),
    h('div', { class: 'field' }, h('label', { for: 'init-year', text: 'ปีงบประมาณ (พ.ศ. เว้นว่างได้) / fiscal year (optional)' }), year),
    h('button', { type: 'button', onclick: () => command('init', {
      agency: agency.value, abbreviation: abbr.value, year: year.value ? Number(year.value) : null, example: false,
    }) }, 'สร้างโปรเจกต์ / create the project'),
    h('p', {}, 'หรือ / or ', h('button', { type: 'button', onclick: () => command('init', { example: true }) },
      'เปิดตัวอย่างรายงานปี ๒๕๖๙ / open the FY 2569 example')));
}

// ---------------------------------------------------------------- routing

function route() {
  const year = Number(location.hash.slice(1));
  if (year) openYear(year); else home();
}

window.addEventListener('hashchange', () => {
  if (dirty() && !confirm('ยังไม่ได้บันทึก ออกจากหน้านี้? / leave without saving?')) return;
  route();
});
window.addEventListener('beforeunload', (e) => { if (dirty()) { e.preventDefault(); e.returnValue = ''; } });
window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); save(); }
});
route();
