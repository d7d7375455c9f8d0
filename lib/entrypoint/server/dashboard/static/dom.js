// Building and updating the page without markup strings: every value goes in as textContent or
// an attribute, so text from docker (names, images, log lines) can never become HTML.

export function el(tag, { className, text, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Writes only on change, so a refresh that changes nothing touches nothing (no flicker). */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export function setClass(node, className) {
  if (node.className !== className) node.className = className;
}

export function setAttr(node, name, value) {
  if (value === undefined || value === null) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== value) {
    node.setAttribute(name, value);
  }
}

/**
 * Fills a <dl> with [term, value, className?] rows, reusing its elements: a refresh updates the
 * text in place instead of rebuilding the list.
 */
export function fillDefinitions(dl, rows) {
  while (dl.children.length > rows.length * 2) dl.lastElementChild.remove();
  rows.forEach(([term, value, className], index) => {
    let dt = dl.children[index * 2];
    let dd = dl.children[index * 2 + 1];
    if (!dt) {
      dt = dl.appendChild(el('dt'));
      dd = dl.appendChild(el('dd'));
    }
    setText(dt, term);
    setText(dd, value);
    setClass(dd, className ?? '');
  });
}
