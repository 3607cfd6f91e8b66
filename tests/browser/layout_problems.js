// What is wrong with the layout of the page on screen, as a list of sentences (empty when
// nothing is). Run by tests/browser/test_large_text_layout.py through page.evaluate.
({ large, minTarget }) => {
  const problems = [];
  const viewportWidth = document.documentElement.clientWidth;
  const name = (el) => {
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    const classes = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}> "${text}"`;
  };
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";

  if (document.documentElement.scrollWidth > viewportWidth) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide`);
  }
  const all = [...document.body.querySelectorAll("*")].filter(shown);
  for (const el of all) {
    const box = el.getBoundingClientRect();
    if (box.right > viewportWidth + 0.5 || box.left < -0.5) {
      problems.push(`${name(el)} reaches past the screen (${box.left.toFixed(0)}–${box.right.toFixed(0)} px)`);
    }
    // Text in a box that hides overflow must fit it, or part of it is cut off.
    const style = getComputedStyle(el);
    const hides = style.overflowX !== "visible" || style.overflowY !== "visible";
    if (el instanceof HTMLElement && hides && el.textContent.trim()
        && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
      problems.push(`${name(el)} cuts off its text (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
    }
  }

  // Touch targets: every link, button and field in the nav bar and the page. A link that is
  // laid out inline inside a sentence is exempt (WCAG 2.5.8 "inline"): its height is the
  // line's. Any target styled as a box (block, inline-block, flex) must be big enough.
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    return block.textContent.trim().length > el.textContent.trim().length;
  };
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  const targets = [...document.querySelectorAll(`#kiosk-nav :is(${controls}), main :is(${controls})`)]
    .filter(shown).filter((el) => !inSentence(el));
  const boxes = targets.map((el) => [el, el.getBoundingClientRect()]);
  for (const [el, box] of boxes) {
    if (box.width < minTarget - 0.5 || box.height < minTarget - 0.5) {
      problems.push(`${name(el)} is ${box.width.toFixed(0)}×${box.height.toFixed(0)} px, under ${minTarget}×${minTarget}`);
    }
  }
  boxes.forEach(([a, boxA], i) => boxes.slice(i + 1).forEach(([b, boxB]) => {
    const across = Math.min(boxA.right, boxB.right) - Math.max(boxA.left, boxB.left);
    const down = Math.min(boxA.bottom, boxB.bottom) - Math.max(boxA.top, boxB.top);
    if (across > 0.5 && down > 0.5 && !a.contains(b) && !b.contains(a)) {
      problems.push(`${name(a)} overlaps ${name(b)}`);
    }
  }));

  if (large) {
    // Sizes as drawn: SVG text is scaled with its drawing.
    const drawnSize = (el) => parseFloat(getComputedStyle(el).fontSize)
      * (el instanceof SVGElement ? el.getScreenCTM().a : 1);
    const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    for (const el of all.filter(ownText)) {
      const size = drawnSize(el);
      const heading = el.closest("h1, h2, h3, h4, h5, h6");
      const least = heading && el === heading ? 40 : 24;
      if (size < least - 0.05) {
        problems.push(`${name(el)} is set in ${size.toFixed(1)} px, under ${least} px`);
      }
      const lineHeight = getComputedStyle(el).lineHeight;
      if (!(el instanceof SVGElement) && (lineHeight === "normal" || parseFloat(lineHeight) < 1.3 * size - 0.05)) {
        problems.push(`${name(el)} has line spacing ${lineHeight} for ${size.toFixed(1)} px text, under 1.3`);
      }
    }
  }
  return problems;
}
