// Gouvernail's pages in a real browser (issue #11): the flows a member, a holder and an
// outsider go through, in headless Chromium, with axe-core (WCAG 2.1 A and AA), a 375 px
// viewport, the page weight and the keyboard checked on every page visited, then the same flows
// with JavaScript off (and the same checks); and GraphiQL at /graphql, served without a CDN.
//
// Usage: GOUVERNAIL_BIN=target/debug/gouvernail node tests/browser/run.mjs
//   CHROMIUM          the browser (default /usr/bin/chromium)
//   SCREENSHOTS_DIR   where the screenshots go (default docs/screenshots; "-" for none)
//   PROFILE=1         print how long each page's checks take
// It starts its own SMTP sink and its own server on a fresh demo database, prints one line per
// check, and exits non-zero when any check fails.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const WIDE = 1024;
const NARROW = 375;
const WEIGHT_BUDGET = 60 * 1024;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const started = Date.now();

// The demo movement (governance-core/src/demo.rs): who signs in and what they should find.
const DEMO = {
  // Élise holds a mandate of the Pôle Communication she has not committed to yet (R4).
  member: { email: 'elise@tilleuls.example', first: 'Élise', pendingUnit: 'Pôle Communication' },
  // The second run (JavaScript off) signs in as Inès: her mandate of the Comité Réseaux sociaux
  // starts on 2026-07-01 of the story and she has not committed to it either.
  memberNoJs: { email: 'ines@tilleuls.example', first: 'Inès', pendingUnit: 'Comité Réseaux sociaux' },
  search: 'Tournée',
  // A decision of the Comité Porte-à-porte, never published: members only.
  internal: {
    title: 'Tournée du quartier Nord le samedi matin',
    statement: 'Le porte-à-porte du quartier Nord a lieu chaque samedi de 10 h à 12 h.',
  },
  // The one published decision.
  published: 'Le collectif soutient la pétition pour le parc des Tilleuls',
  // Fatou's mandate of the dépenses was revoked on 2026-04-20 of the story and given to
  // Gaspard: on 2026-03-15 of the story, Fatou held it. The demo moves the story by whole
  // months so that its "today" (2026-06-15) falls on the 15th of this month (or of the last
  // one before the 15th): `storyDay` moves a day of the story the same way.
  map: {
    unit: 'Pôle Finances et Logistique',
    domain: 'dépenses',
    before: 'Fatou Ndiaye',
    after: 'Gaspard Morel',
    storyDay: '2026-03-15',
  },
  // Holders who record decisions on /decider, one per run so that neither run's writes
  // change what the other finds: Hélène (référente of the Comité Événements) with JavaScript,
  // Chloé (référente of the Pôle Mobilisation) without. A movement-wide reach is refused with
  // ESCALATION_REQUIRED and goes to the Coordination (R9).
  holder: {
    email: 'helene@tilleuls.example',
    first: 'Hélène',
    scope: 'Comité Événements — programmation',
    consult: 'Chloé Martin',
  },
  holderNoJs: {
    email: 'chloe@tilleuls.example',
    first: 'Chloé',
    scope: 'Pôle Mobilisation — événements',
    consult: 'Hélène Dubois',
  },
  route: 'Coordination',
  // A tension that names a member (R14) and the unit it is about.
  tension: { unit: 'Pôle Finances et Logistique', named: 'Gaspard' },
};

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
/** "6 avril 2026", "1er mai 2026", as the pages write a day (governance-core ui::day). */
function frenchDay(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d === 1 ? '1er' : d} ${MONTHS_FR[m - 1]} ${y}`;
}
/**
 * A day of the demo story (governance-core/src/demo.rs: `months_to`, story "today"
 * 2026-06-15) as the demo server shows it, given the server's today (a date field's value).
 */
function storyDay(iso, today) {
  const [ty, tm, td] = today.split('-').map(Number);
  const months = Math.max(0, (ty - 2026) * 12 + tm - 6 - (td < 15 ? 1 : 0));
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + months, d, 12));
  return t.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- reporting

const failures = [];
function ok(what) {
  console.log(`ok    ${what}`);
}
function fail(what, detail = '') {
  failures.push(what);
  console.log(`FAIL  ${what}${detail ? `\n${indent(detail)}` : ''}`);
}
function check(cond, what, detail = '') {
  if (cond) ok(what);
  else fail(what, detail);
  return cond;
}
function note(what) {
  console.log(`note  ${what}`);
}
function indent(s) {
  return String(s)
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
}
/** A step that cannot go on when it fails (no page to look at): throws after reporting. */
function must(cond, what, detail = '') {
  if (!check(cond, what, detail)) throw new StepFailed(what);
}
class StepFailed extends Error {}

// ---------------------------------------------------------------- SMTP sink

/** A minimal SMTP server that keeps every message in memory. */
async function smtpSink() {
  const messages = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('latin1'); // bytes as they come; decoded after the transfer encoding
    let buffer = '';
    let inData = false;
    let envelope = { to: [] };
    const say = (line) => socket.write(`${line}\r\n`);
    say('220 sink ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          const endAtStart = buffer.startsWith('.\r\n');
          if (end < 0 && !endAtStart) return;
          const raw = endAtStart ? '' : buffer.slice(0, end);
          buffer = endAtStart ? buffer.slice(3) : buffer.slice(end + 5);
          const data = raw
            .split('\r\n')
            .map((l) => (l.startsWith('..') ? l.slice(1) : l))
            .join('\r\n');
          messages.push({ to: envelope.to, raw: data });
          envelope = { to: [] };
          inData = false;
          say('250 OK queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') say('250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8');
        else if (verb === 'HELO') say('250 sink');
        else if (verb === 'MAIL') {
          envelope = { to: [] };
          say('250 OK');
        } else if (verb === 'RCPT') {
          const m = /<([^>]*)>/.exec(line);
          envelope.to.push(m ? m[1].toLowerCase() : line);
          say('250 OK');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          say('221 Bye');
          socket.end();
          return;
        } else if (verb === 'RSET') {
          envelope = { to: [] };
          say('250 OK');
        } else say('250 OK');
      }
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: server.address().port, messages };
}

/** The text of a message: headers unfolded, body decoded (quoted-printable or base64). */
function decodeMessage(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = (split < 0 ? raw : raw.slice(0, split)).replace(/\r\n[ \t]+/g, ' ');
  let body = split < 0 ? '' : raw.slice(split + 4);
  const cte = /^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase() ?? '7bit';
  let bytes;
  if (cte === 'quoted-printable') {
    body = body.replace(/=\r?\n/g, ''); // soft line breaks
    const out = [];
    for (let i = 0; i < body.length; i++) {
      const hex = body.slice(i + 1, i + 3);
      if (body[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
      } else out.push(body.charCodeAt(i) & 0xff);
    }
    bytes = Buffer.from(out);
  } else if (cte === 'base64') {
    bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  } else {
    bytes = Buffer.from(body, 'latin1');
  }
  return { head, text: bytes.toString('utf8') };
}

async function waitForMail(sink, to, since, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = sink.messages.slice(since).find((x) => x.to.includes(to));
    if (m) return decodeMessage(m.raw);
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

// ---------------------------------------------------------------- the server

async function freePort() {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function startServer(bin, smtpPort) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gouvernail-browser-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The server must not see a developer's GOUVERNAIL_* settings (nor this runner's).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('GOUVERNAIL_')),
  );
  env.RUST_LOG = 'warn';
  const child = spawn(
    bin,
    [
      '--database-url', `sqlite://${dir}/b.db?mode=rwc`,
      'serve', '--demo',
      '--listen', `127.0.0.1:${port}`,
      '--smtp-url', `smtp://127.0.0.1:${smtpPort}`,
      '--base-url', base,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 60000);
    const look = () => {
      if (/listens on/.test(out)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout.on('data', look);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  return { child, base, dir, ready, output: () => out };
}

// ---------------------------------------------------------------- checks of one page

/**
 * What every page must pass: axe-core (WCAG 2.1 A and AA), no horizontal scrolling at 375 px,
 * HTML + CSS under the weight budget, and the keyboard (skip link first, every interactive
 * element a tab stop, a visible focus). The page is left at its URL, scrolled to the top.
 */
async function checkPage(page, name, twin = null) {
  const t0 = Date.now();
  await axeCheck(page, name, twin);
  const t1 = Date.now();
  await narrowCheck(page, name);
  await weightCheck(page, name);
  const t2 = Date.now();
  await keyboardCheck(page, name);
  if (process.env.PROFILE) note(`${name}: axe ${t1 - t0} ms, narrow+weight ${t2 - t1} ms, keyboard ${Date.now() - t2} ms`);
}

/**
 * axe-core on the page. With JavaScript off, axe cannot run in the page (its timers never
 * fire), so `twin`, a context with JavaScript on, opens the same URL answered with the very
 * document the page shows (its scripts never ran: that is what a no-JS visitor gets) and axe
 * runs there, against the server's own stylesheet.
 */
async function axeCheck(page, name, twin = null) {
  if (twin) {
    const html = await page.content();
    const url = page.url();
    const other = await twinPage(twin);
    twinDocs.set(url.split('#')[0], html);
    await other.setViewportSize(page.viewportSize());
    await other.goto(url.split('#')[0], { waitUntil: 'load' });
    await axeCheck(other, name);
    return;
  }
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html })),
    }));
  }, AXE_TAGS);
  const detail = result
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .map((n) => `  at ${n.target}: ${n.html.slice(0, 160)}\n    ${(n.summary || '').replace(/\n/g, '\n    ')}`)
          .join('\n'),
    )
    .join('\n');
  check(result.length === 0, `${name}: axe-core ${AXE_TAGS.join(',')}: no violation`, detail);
}

/** The documents the twin page is answered with, by URL, and its one page per context. */
const twinDocs = new Map();
const twinPages = new WeakMap();
async function twinPage(ctx) {
  if (!twinPages.has(ctx)) {
    const p = await ctx.newPage();
    await p.route(
      (u) => twinDocs.has(u.href.split('#')[0]),
      (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: twinDocs.get(r.request().url().split('#')[0]) }),
    );
    twinPages.set(ctx, p);
  }
  return twinPages.get(ctx);
}

async function narrowCheck(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: NARROW, height: 800 });
  const m = await page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    // The widest elements that stick out, to name the culprit.
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > document.documentElement.clientWidth + 0.5 && el.closest('.table-wrap') === null) {
        const id = el.id ? `#${el.id}` : '';
        const cls = el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        out.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)}`);
      }
    }
    return { width, out: out.slice(0, 8) };
  });
  await page.setViewportSize(size);
  check(m.width <= NARROW, `${name}: at ${NARROW} px wide, no horizontal scrolling (scrollWidth ${m.width})`, m.out.join('\n'));
}

async function weightCheck(page, name) {
  // The resource timing gives the bytes as transferred (encoded) even for a stylesheet served
  // from the cache, so every page pays for its CSS as a first visit would.
  const w = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const html = nav ? nav.encodedBodySize || nav.transferSize : document.documentElement.outerHTML.length;
    const css = performance
      .getEntriesByType('resource')
      .filter((e) => e.initiatorType === 'link' || e.initiatorType === 'css' || /\.css(\?|$)/.test(e.name))
      .map((e) => ({ name: e.name, size: e.encodedBodySize || e.transferSize || 0 }));
    return { html, css };
  });
  let css = 0;
  for (const c of w.css) {
    let size = c.size;
    if (!size) size = await cssSize(page, c.name); // a resource timing that hides its size
    css += size;
  }
  const total = w.html + css;
  check(
    total < WEIGHT_BUDGET,
    `${name}: HTML + CSS ${kb(total)} < ${kb(WEIGHT_BUDGET)} (HTML ${kb(w.html)}, CSS ${kb(css)})`,
  );
}
const cssSizes = new Map();
async function cssSize(page, url) {
  if (!cssSizes.has(url)) {
    const r = await page.context().request.get(url);
    cssSizes.set(url, (await r.body()).length);
  }
  return cssSizes.get(url);
}
function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`;
}

async function keyboardCheck(page, name) {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  });
  // What should be reachable: every visible, enabled interactive element; a radio group is one
  // tab stop.
  const expected = await page.evaluate(() => {
    const sel = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]';
    const list = [];
    const radios = new Set();
    let n = 0;
    for (const el of document.querySelectorAll(sel)) {
      if (el.disabled || (el.tagName === 'INPUT' && el.type === 'hidden')) continue;
      // tabindex="-1" makes a target of a skip link (main) focusable without making it a
      // control; a link or a control taken out of the tab order, though, is a defect.
      const native = el.matches('a[href], button, input, select, textarea, summary');
      if (!native && Number(el.getAttribute('tabindex')) < 0) continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || st.display === 'none' || el.getClientRects().length === 0) continue;
      if (el.closest('[inert]')) continue;
      if (el.tagName === 'INPUT' && el.type === 'radio' && el.name) {
        // The group's tab stop is its checked radio, or its first when none is checked.
        const key = `${el.form ? 'f' : ''}:${el.name}`;
        if (radios.has(key)) continue;
        const group = [...document.querySelectorAll('input[type=radio]')].filter(
          (r) => r.name === el.name && r.form === el.form && !r.disabled,
        );
        const checked = group.find((r) => r.checked);
        if (checked && checked !== el) continue;
        radios.add(key);
      }
      el.dataset.kbd = String(n++);
      list.push(el.dataset.kbd);
    }
    return list;
  });
  const reached = [];
  const noFocusRing = [];
  let first = null;
  // A date input takes one Tab per field (day, month, year): room for those.
  const limit = expected.length * 4 + 10;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      const st = getComputedStyle(el);
      const ring =
        (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0) ||
        (st.boxShadow && st.boxShadow !== 'none');
      const label = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '').trim().slice(0, 50);
      return {
        kbd: el.dataset.kbd ?? null,
        skip: el.classList.contains('skip'),
        ring,
        what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${label}"`,
      };
    });
    if (f === null) break; // past the last element
    if (i === 0) first = f;
    const last = reached[reached.length - 1];
    if (last && last.kbd === f.kbd && last.what === f.what) continue; // the next field of a date input
    if (reached.some((r) => r.kbd === f.kbd && r.what === f.what)) break; // wrapped around
    reached.push(f);
    if (!f.ring) noFocusRing.push(f.what);
  }
  check(first !== null && first.skip, `${name}: the first Tab reaches the skip link`, first ? `first: ${first.what}` : 'Tab reached nothing');
  const got = new Set(reached.map((r) => r.kbd));
  const missing = await page.evaluate(
    (ids) =>
      ids.map((id) => {
        const el = document.querySelector(`[data-kbd="${id}"]`);
        return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || el.name || '').trim().slice(0, 50)}"`;
      }),
    expected.filter((id) => !got.has(id)),
  );
  const stray = reached.filter((r) => r.kbd === null).map((r) => r.what);
  check(
    missing.length === 0,
    `${name}: Tab reaches all ${expected.length} interactive elements (${reached.length} tab stops)`,
    [missing.length ? `not reached: ${missing.join(', ')}` : '', stray.length ? `unexpected stops: ${stray.join(', ')}` : '']
      .filter(Boolean)
      .join('\n'),
  );
  check(noFocusRing.length === 0, `${name}: the focus is visible on every tab stop`, `no outline: ${noFocusRing.join(', ')}`);
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('[data-kbd]')) delete el.dataset.kbd;
    if (document.activeElement) document.activeElement.blur();
    window.scrollTo(0, 0);
  });
}

// ---------------------------------------------------------------- screenshots

const shotDir = (() => {
  const d = process.env.SCREENSHOTS_DIR ?? path.join(repo, 'docs', 'screenshots');
  return d === '-' || d === '' ? null : path.resolve(d);
})();
/** A full-page screenshot; `until`, a locator, ends it below that element (to stay small). */
async function screenshot(page, file, width = WIDE, until = null) {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  const size = page.viewportSize();
  if (width !== size.width) await page.setViewportSize({ width, height: 800 });
  let clip;
  if (until) {
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await until.boundingBox();
    if (box) clip = { x: 0, y: 0, width, height: Math.ceil(box.y + box.height + 12) };
  }
  await page.screenshot({ path: path.join(shotDir, file), fullPage: true, clip });
  if (width !== size.width) await page.setViewportSize(size);
  ok(`screenshot ${path.relative(repo, path.join(shotDir, file))}`);
}

// ---------------------------------------------------------------- the flows

/** Goes to a URL and answers its status (after redirects). */
async function visit(page, base, p) {
  try {
    const r = await page.goto(base + p, { waitUntil: 'load' });
    return r ? r.status() : 0;
  } catch (e) {
    // Chromium turns an error status with an empty body into its own error page, and
    // Playwright into an exception: ask again without the browser for the status.
    if (!/ERR_HTTP_RESPONSE_CODE_FAILURE/.test(String(e))) throw e;
    const r = await page.context().request.get(base + p, { maxRedirects: 0 });
    return r.status();
  }
}
function pathOf(page) {
  return new URL(page.url()).pathname;
}
async function text(page, selector) {
  const el = page.locator(selector).first();
  return (await el.count()) ? (await el.innerText()).trim() : '';
}
function catchUpCount(heading) {
  const m = /\((\d+)\b/.exec(heading);
  return m ? Number(m[1]) : null;
}

/**
 * A member's visit: sign in by e-mail, *Accueil*, catch-up, *Relevé de décisions*, a decision,
 * a pending mandate, the map at a past date, a tension (refused when it names a member, R14,
 * then raised), a meeting, the Coordination and an escalation, sign out. `checks` runs the
 * per-page checks (with `twin`, the JavaScript-on context axe runs in when JavaScript is off).
 * Returns what the outsider's flow needs.
 */
async function memberFlow(ctx, env, who, { checks, label, shots, twin }) {
  const page = await ctx.newPage();
  const look = async (name) => {
    if (checks) await checkPage(page, name, twin);
  };
  const found = {};
  try {
    // Sign-in.
    must((await visit(page, env.base, '/connexion')) === 200, `${label}: /connexion answers 200`);
    must(pathOf(page) === '/connexion', `${label}: /connexion shows the sign-in form`);
    await look(`${label} connexion`);
    if (shots) await screenshot(page, 'connexion.png');
    const since = env.sink.messages.length;
    await page.getByLabel(/adresse|e-mail|courriel/i).first().fill(who.email);
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    await page.waitForLoadState('load');
    check(/connexion/.test(pathOf(page)), `${label}: the form answers on /connexion (${pathOf(page)})`);
    must((await page.locator('[role=status]').count()) > 0, `${label}: the page says the link was sent`, await text(page, 'main'));
    await look(`${label} connexion (lien envoyé)`);
    const mail = await waitForMail(env.sink, who.email, since);
    must(mail !== null, `${label}: the sign-in e-mail reaches ${who.email}`);
    const link = /https?:\/\/[^\s<>"]+\/connexion\/lien\/[0-9a-fA-F]{64}/.exec(mail.text)?.[0];
    must(Boolean(link), `${label}: the e-mail holds a sign-in link`, mail.text);
    check(link.startsWith(env.base), `${label}: the link starts with the --base-url`, link);

    // Accueil.
    await page.goto(link, { waitUntil: 'load' });
    must(pathOf(page) === '/', `${label}: the link lands on Accueil (/)`, page.url());
    const h1 = await text(page, 'h1');
    check(h1.startsWith('Bonjour') && h1.includes(who.first), `${label}: Accueil says "${h1}"`);
    await look(`${label} accueil`);
    if (shots) {
      await screenshot(page, 'accueil.png');
      await screenshot(page, 'accueil-mobile.png', NARROW);
    }
    const before = catchUpCount(await text(page, 'h2#catch-up'));
    check(before !== null && before > 0, `${label}: the catch-up lists decisions not read yet (${before})`);
    const markRead = page.locator('form[action="/lu"] button');
    if (await markRead.count()) {
      await Promise.all([page.waitForURL((u) => u.pathname === '/'), markRead.click()]);
      await page.waitForLoadState('load');
      const after = catchUpCount(await text(page, 'h2#catch-up'));
      check(after !== null && before !== null && after < before, `${label}: marking read makes the count drop (${before} → ${after})`);
      check((await page.locator('.flash, [role=status]').count()) > 0, `${label}: a message confirms the catch-up was marked read`);
      await look(`${label} accueil (lu)`);
    } else fail(`${label}: Accueil offers to mark the catch-up read`);

    // Relevé de décisions: search, open a decision.
    await page.getByRole('navigation').getByRole('link', { name: /relevé/i }).first().click();
    await page.waitForLoadState('load');
    must(pathOf(page) === '/releve', `${label}: the navigation leads to the Relevé (/releve)`, page.url());
    await look(`${label} releve`);
    if (shots) await screenshot(page, 'releve.png');
    found.published = await publishedTitles(page);
    await page.locator('#q').fill(DEMO.search);
    await Promise.all([page.waitForURL(/[?&]q=/), page.locator('form[role=search] button[type=submit]').click()]);
    await page.waitForLoadState('load');
    const hit = page.getByRole('link', { name: DEMO.internal.title });
    must((await hit.count()) > 0, `${label}: searching "${DEMO.search}" finds "${DEMO.internal.title}"`, await text(page, 'main'));
    const titles = await page.locator('main .cards h2').allInnerTexts();
    check(
      titles.every((t) => t.toLowerCase().includes(DEMO.search.toLowerCase())),
      `${label}: every result of "${DEMO.search}" names it (${titles.length})`,
      titles.join('\n'),
    );
    await look(`${label} releve (recherche)`);
    await Promise.all([page.waitForURL(/\/decisions\//), hit.first().click()]);
    await page.waitForLoadState('load');
    found.internalPath = pathOf(page);
    check((await text(page, 'h1')) === DEMO.internal.title, `${label}: the decision page's title is "${DEMO.internal.title}"`);
    const main = await text(page, 'main');
    check(main.includes(DEMO.internal.statement), `${label}: the decision page shows its statement`);
    check(/en vigueur aujourd'hui/i.test(main) && !/plus en vigueur/i.test(main), `${label}: the decision page says it is in force`);
    check(/interne au mouvement/i.test(main), `${label}: the decision page says it is internal`);
    await look(`${label} decision`);
    if (shots) await screenshot(page, 'decision.png');

    // A pending mandate: commit to it (R4).
    await visit(page, env.base, '/');
    const commit = page.locator('form[action^="/mandats/"] button', { hasText: who.pendingUnit });
    if (await commit.count()) {
      ok(`${label}: Accueil shows the mandate of ${who.pendingUnit} waiting for commitment`);
      await Promise.all([page.waitForURL((u) => u.pathname === '/'), commit.first().click()]);
      await page.waitForLoadState('load');
      check(
        (await page.locator('form[action^="/mandats/"] button', { hasText: who.pendingUnit }).count()) === 0,
        `${label}: after "Je m'engage" the mandate no longer waits`,
        await text(page, 'main'),
      );
      check(/engag/i.test(await text(page, '.flash, [role=status]')), `${label}: a message confirms the commitment`, await text(page, 'main'));
      await look(`${label} accueil (engagé)`);
    } else {
      const alert = await text(page, '[role=alert]');
      fail(`${label}: Accueil shows ${who.first}'s mandate of ${who.pendingUnit} waiting for commitment`, alert || (await text(page, 'section[aria-labelledby=mandates]')));
    }

    // The other pages a member reads and writes: each part reports its own failure and lets
    // the next one run.
    const part = { label, look, shots, page, env, who };
    await attempt(label, 'carte', () => mapFlow(part));
    await attempt(label, 'tensions', () => tensionsFlow(part));
    await attempt(label, 'reunions', () => meetingsFlow(part));
    await attempt(label, 'coordination', () => coordinationFlow(part));

    // Sign out.
    await visit(page, env.base, '/');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action="/deconnexion"] button').click()]);
    await page.waitForLoadState('load');
    check(pathOf(page) === '/connexion', `${label}: signing out leads to /connexion (${pathOf(page)})`);
    await visit(page, env.base, '/');
    check(pathOf(page) === '/connexion', `${label}: after signing out, / redirects to /connexion (${pathOf(page)})`);
    check(!(await text(page, 'header')).includes(who.first), `${label}: after signing out, the header names nobody`);
  } catch (e) {
    if (!(e instanceof StepFailed)) fail(`${label}: the flow broke`, e.stack || String(e));
  } finally {
    await page.close();
  }
  return found;
}

/** Runs one part of a flow: a failed step or an exception is reported, and the flow goes on. */
async function attempt(label, name, fn) {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof StepFailed)) fail(`${label} ${name}: the flow broke`, e.stack || String(e));
  }
}

/** Clicks a submit button and waits for the page it leads to; answers that page's status. */
async function submitWith(page, button) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response ? response.status() : 0;
}

/** "avec JavaScript" or "sans JavaScript": keeps what each run writes apart, and readable. */
function stampOf(label) {
  return label.startsWith('no-js') ? 'sans JavaScript' : 'avec JavaScript';
}

/** *Qui décide quoi* (/carte): today, then a past date typed in the date field (R18). */
async function mapFlow({ page, env, label, look, shots }) {
  const m = DEMO.map;
  must((await visit(page, env.base, '/carte')) === 200, `${label}: /carte answers 200`);
  check((await text(page, 'h1')) === 'Qui décide quoi', `${label}: /carte's heading is "${await text(page, 'h1')}"`);
  const today = await page.locator('#date').inputValue();
  must(/^\d{4}-\d{2}-\d{2}$/.test(today), `${label}: the date field of /carte holds today (${today})`);
  const row = () =>
    page
      .locator('section.map-unit', { has: page.locator('h3', { hasText: m.unit }) })
      .locator('tr', { has: page.locator('th[scope=row]', { hasText: new RegExp(`^${m.domain}$`) }) })
      .first();
  check(
    (await text(page, 'h2.map-date')) === `Carte d'aujourd'hui, ${frenchDay(today)}`,
    `${label}: /carte says it is today's map ("${await text(page, 'h2.map-date')}")`,
  );
  const now = (await row().count()) ? (await row().innerText()).trim() : '';
  check(
    now.includes(m.after) && !now.includes(m.before),
    `${label}: today, ${m.after} holds ${m.unit} — ${m.domain}`,
    now || (await text(page, 'main')).slice(0, 2000),
  );
  await look(`${label} carte`);

  const past = storyDay(m.storyDay, today);
  await page.getByLabel('Date', { exact: false }).first().fill(past);
  const status = await submitWith(page, page.getByRole('button', { name: 'Afficher la carte' }));
  check(status === 200, `${label}: showing the map of ${past} answers 200 (${status})`);
  check(
    pathOf(page) === '/carte' && new URL(page.url()).searchParams.get('date') === past,
    `${label}: the map of a past date has its own URL (${pathOf(page)}${new URL(page.url()).search})`,
  );
  const heading = await text(page, 'h2.map-date');
  check(heading === `Carte au ${frenchDay(past)}`, `${label}: the heading names the date in French ("${heading}")`);
  check((await page.locator('#date').inputValue()) === past, `${label}: the date field keeps ${past}`);
  const then = (await row().count()) ? (await row().innerText()).trim() : '';
  check(
    then.includes(m.before) && !then.includes(m.after),
    `${label}: on ${past}, ${m.before} (since revoked) holds ${m.unit} — ${m.domain}, not ${m.after}`,
    then || (await text(page, 'main')).slice(0, 2000),
  );
  check((await page.getByRole('link', { name: "Revenir à aujourd'hui" }).count()) > 0, `${label}: the past map offers to come back to today`);
  await look(`${label} carte (date passée)`);
  // The map is long: the picture stops below the unit whose holder changed.
  if (shots) await screenshot(page, 'carte.png', WIDE, page.locator('section.map-unit', { has: page.locator('h3', { hasText: m.unit }) }));
}

/** *Tensions*: the R14 rule explained, a tension naming a member refused, a proper one raised. */
async function tensionsFlow({ page, env, label, look, shots, who }) {
  const t = DEMO.tension;
  const stamp = stampOf(label);
  must((await visit(page, env.base, '/tensions')) === 200, `${label}: /tensions answers 200`);
  check((await text(page, 'h1')) === 'Tensions', `${label}: /tensions's heading is "${await text(page, 'h1')}"`);
  const rule = await text(page, '#r14');
  check(/jamais sur une personne \(R14\)/.test(rule), `${label}: /tensions explains the R14 wording rule`, rule);
  check(
    (await page.locator('#titre').getAttribute('aria-describedby'))?.split(/\s+/).includes('r14'),
    `${label}: the title field is described by the R14 rule`,
  );
  await look(`${label} tensions`);

  // First a tension that names a member: refused, in French, with what was typed kept.
  const named = `${t.named} ne transmet pas les factures à temps (${stamp})`;
  await page.locator('#titre').fill(named);
  await page.locator('#description').fill('Les factures arrivent en retard chez les fournisseurs.');
  await page.locator('#sujet-unite').check();
  await page.locator('#unite').selectOption({ label: t.unit });
  let status = await submitWith(page, page.getByRole('button', { name: 'Soulever la tension' }));
  const alert = await text(page, '[role=alert]');
  check(status === 422, `${label}: a tension naming ${t.named} is refused (${status})`);
  check(
    /pas sur une personne/.test(alert) && alert.includes(t.named),
    `${label}: the refusal says in French that a tension is not about a person, and names ${t.named}`,
    alert || (await text(page, 'main')).slice(0, 1500),
  );
  check((await page.locator('#titre').inputValue()) === named, `${label}: the refused title is kept in the field`);
  await look(`${label} tensions (refus R14)`);
  if (shots) await screenshot(page, 'tensions.png');

  // Then the same tension, about how things work.
  const title = `Les factures du pôle partent trop tard (${stamp})`;
  await page.locator('#titre').fill(title);
  await page.locator('#description').fill('Les fournisseurs relancent : le circuit de validation des factures prend plus de trois semaines.');
  await page.locator('#sujet-unite').check();
  await page.locator('#unite').selectOption({ label: t.unit });
  status = await submitWith(page, page.getByRole('button', { name: 'Soulever la tension' }));
  check(status === 200 && pathOf(page) === '/tensions', `${label}: the tension is raised and the list shows again (${status} ${pathOf(page)})`);
  check(/la tension est soulevée/.test(await text(page, '.flash, [role=status]')), `${label}: a message confirms the tension is raised`);
  const link = page.getByRole('link', { name: title });
  must((await link.count()) > 0, `${label}: the list shows "${title}"`, (await text(page, 'main')).slice(0, 2000));
  await look(`${label} tensions (soulevée)`);
  await Promise.all([page.waitForURL(/\/tensions\/[^/]+$/), link.first().click()]);
  await page.waitForLoadState('load');
  check((await text(page, 'h1')) === title, `${label}: the tension's page is titled "${title}"`);
  const main = await text(page, 'main');
  check(main.includes(t.unit) && main.includes(who.first) && /ouverte/.test(main), `${label}: the tension's page says what it is about, who raised it and that it is open`, main.slice(0, 1500));
  check((await page.getByRole('button', { name: 'Retirer cette tension' }).count()) > 0, `${label}: the person who raised it is offered to withdraw it`);
  await look(`${label} tension`);
}

/** *Réunions*: the list, one meeting's page, the form to convene one. */
async function meetingsFlow({ page, env, label, look, shots }) {
  must((await visit(page, env.base, '/reunions')) === 200, `${label}: /reunions answers 200`);
  check((await text(page, 'h1')) === 'Réunions', `${label}: /reunions's heading is "${await text(page, 'h1')}"`);
  await look(`${label} reunions`);
  let link = page.locator('main .cards h3 a');
  if (!(await link.count())) {
    note(`${label}: no meeting of one's own units: showing all`);
    await visit(page, env.base, '/reunions?toutes=1');
    link = page.locator('main .cards h3 a');
  }
  must((await link.count()) > 0, `${label}: /reunions lists meetings`, (await text(page, 'main')).slice(0, 1500));
  const name = (await link.first().innerText()).trim();
  await Promise.all([page.waitForURL(/\/reunions\/[^/?]+$/), link.first().click()]);
  await page.waitForLoadState('load');
  check((await text(page, 'h1')) === name, `${label}: the meeting's page is titled "${name}"`);
  await look(`${label} reunion`);
  if (shots) await screenshot(page, 'reunion.png');
  must((await visit(page, env.base, '/reunions/convoquer')) === 200, `${label}: /reunions/convoquer answers 200`);
  check((await page.locator('main form').count()) > 0, `${label}: /reunions/convoquer shows a form`);
  await look(`${label} reunions/convoquer`);
}

/** *Coordination*: what waits for the Coordination, and one escalated proposal's page. */
async function coordinationFlow({ page, env, label, look, shots }) {
  must((await visit(page, env.base, '/coordination')) === 200, `${label}: /coordination answers 200`);
  check((await text(page, 'h1')) === 'Coordination', `${label}: /coordination's heading is "${await text(page, 'h1')}"`);
  await look(`${label} coordination`);
  if (shots) await screenshot(page, 'coordination.png');
  const link = page.locator('section[aria-labelledby=inbox] .cards a');
  must((await link.count()) > 0, `${label}: the Coordination's inbox lists an escalated proposal`, await text(page, 'section[aria-labelledby=inbox]'));
  const name = (await link.first().innerText()).trim();
  await Promise.all([page.waitForURL(/\/coordination\/escalades\//), link.first().click()]);
  await page.waitForLoadState('load');
  check((await text(page, 'h1')) === name, `${label}: the escalation's page is titled "${name}"`);
  check(/Coordination/.test(await text(page, 'main ol')), `${label}: the escalation's page shows its route`, await text(page, 'main'));
  await look(`${label} coordination/escalade`);
}

/** Signs in by e-mail as a person would; the pages on the way are checked by the member's flow. */
async function signIn(page, env, who, label) {
  must((await visit(page, env.base, '/connexion')) === 200, `${label}: /connexion answers 200`);
  const since = env.sink.messages.length;
  await page.getByLabel(/adresse|e-mail|courriel/i).first().fill(who.email);
  await submitWith(page, page.locator('main form button[type=submit]'));
  must((await page.locator('[role=status]').count()) > 0, `${label}: the page says the link was sent`, await text(page, 'main'));
  const mail = await waitForMail(env.sink, who.email, since);
  must(mail !== null, `${label}: the sign-in e-mail reaches ${who.email}`);
  const link = /https?:\/\/[^\s<>"]+\/connexion\/lien\/[0-9a-fA-F]{64}/.exec(mail.text)?.[0];
  must(Boolean(link), `${label}: the e-mail holds a sign-in link`, mail.text);
  await page.goto(link, { waitUntil: 'load' });
  must(pathOf(page) === '/' && (await text(page, 'h1')).includes(who.first), `${label}: ${who.first} is signed in`, page.url());
}

/**
 * A holder on *Décider*: a decision with a consultation checked ("Vérifier") then recorded and
 * shown with its consultation (R8); then a movement-wide one, refused in French with its route
 * (R9), escalated, and found in the Coordination's inbox with its own page.
 */
async function holderFlow(ctx, env, who, { checks, label, shots, twin }) {
  const page = await ctx.newPage();
  const look = async (name) => {
    if (checks) await checkPage(page, name, twin);
  };
  const stamp = stampOf(label);
  const fill = async (d) => {
    await page.getByLabel('Unité et domaine').selectOption({ label: who.scope });
    await page.getByLabel('Titre', { exact: true }).fill(d.title);
    await page.getByLabel('Énoncé : ce qui est décidé').fill(d.statement);
    await page.getByLabel(d.wide ? 'Tout le mouvement' : 'Cette unité seulement').check();
    const row = page.getByRole('group', { name: 'Personne consultée 1' });
    await row.getByLabel('Qui').selectOption({ label: who.consult });
    await row.getByLabel('Son avis').selectOption({ label: d.stance });
    await row.getByLabel("Ce qu'elle a dit").fill(d.said);
  };
  try {
    await signIn(page, env, who, label);
    must((await visit(page, env.base, '/decider')) === 200, `${label}: /decider answers 200`);
    check((await text(page, 'h1')) === 'Décider', `${label}: /decider's heading is "${await text(page, 'h1')}"`);
    const scopes = await page.locator('#portee option').allInnerTexts();
    must(scopes.includes(who.scope), `${label}: /decider offers ${who.first} "${who.scope}"`, scopes.join('\n'));
    await look(`${label} decider`);

    // A decision in the holder's perimeter, with one consultation: checked, then recorded.
    const ok1 = {
      title: `Programme de la fête de quartier (${stamp})`,
      statement: 'La fête ouvre à 15 h avec la chorale, puis le repas partagé à 19 h.',
      stance: 'soutien',
      said: `D'accord pour la chorale en ouverture (${stamp}).`,
      wide: false,
    };
    await fill(ok1);
    let status = await submitWith(page, page.getByRole('button', { name: 'Vérifier' }));
    const verdict = await text(page, 'section[aria-labelledby=verdict]');
    check(status === 200, `${label}: "Vérifier" answers 200 (${status})`);
    check(/Vous pouvez prendre cette décision/.test(verdict), `${label}: "Vérifier" says ${who.first} may decide there`, verdict || (await text(page, 'main')).slice(0, 1500));
    check(
      (await page.locator('#titre').inputValue()) === ok1.title && (await page.locator('#c0-dit').inputValue()) === ok1.said,
      `${label}: after "Vérifier" the form keeps what was typed`,
    );
    await look(`${label} decider (vérifié)`);
    status = await submitWith(page, page.getByRole('button', { name: 'Enregistrer' }));
    must(/^\/decisions\/[^/]+$/.test(pathOf(page)), `${label}: "Enregistrer" lands on the decision's page (${status} ${pathOf(page)})`, (await text(page, 'main')).slice(0, 1500));
    check((await text(page, 'h1')) === ok1.title, `${label}: the decision's page is titled "${ok1.title}"`);
    check(/la décision est enregistrée/.test(await text(page, '.flash, [role=status]')), `${label}: a message confirms the decision is recorded`);
    const main = await text(page, 'main');
    check(
      main.includes(who.consult) && main.includes(ok1.said) && main.includes(ok1.stance),
      `${label}: the decision's page shows the consultation of ${who.consult} (${ok1.stance}, what was said)`,
      main.slice(0, 2000),
    );
    await look(`${label} decision enregistrée`);

    // A movement-wide decision: refused in French with its route, then escalated.
    must((await visit(page, env.base, '/decider')) === 200, `${label}: /decider answers 200 again`);
    const wide = {
      title: `Fête de quartier dans chaque quartier du mouvement (${stamp})`,
      statement: 'Chaque pôle organise sa fête de quartier le même jour.',
      stance: 'réserve',
      said: `Bonne idée, mais le calendrier est serré (${stamp}).`,
      wide: true,
    };
    await fill(wide);
    status = await submitWith(page, page.getByRole('button', { name: 'Enregistrer' }));
    check(status === 422 && pathOf(page) === '/decider', `${label}: a movement-wide decision is not recorded (${status} ${pathOf(page)})`);
    const refusal = await text(page, '[role=alert]');
    check(
      /Cette décision ne peut pas être enregistrée/.test(refusal) && /Coordination/.test(refusal),
      `${label}: the refusal is in French and names the Coordination`,
      refusal || (await text(page, 'main')).slice(0, 1500),
    );
    const route = await page.locator('[role=alert] ol li').allInnerTexts();
    check(
      /Elle doit passer par/.test(refusal) && route.map((r) => r.trim()).includes(DEMO.route),
      `${label}: the refusal shows the route (${route.join(' → ')})`,
    );
    check((await page.locator('#titre').inputValue()) === wide.title, `${label}: the refused form keeps what was typed`);
    const escalate = page.getByRole('button', { name: /^Faire remonter/ });
    must((await escalate.count()) > 0, `${label}: the refusal offers to escalate the proposal`, (await text(page, 'main form')).slice(-800));
    check((await escalate.first().innerText()).trim() === `Faire remonter en ${DEMO.route}`, `${label}: the button says "${(await escalate.first().innerText()).trim()}"`);
    await look(`${label} decider (refus)`);
    if (shots) await screenshot(page, 'decider-refus.png');
    status = await submitWith(page, escalate.first());
    check(status === 200 && pathOf(page) === '/decider', `${label}: escalating leads back to /decider (${status} ${pathOf(page)})`);
    check(/la proposition attend/.test(await text(page, '.flash, [role=status]')), `${label}: a message confirms the proposal was escalated`, await text(page, 'main'));
    await look(`${label} decider (remontée)`);

    // The proposal waits in the Coordination's inbox, with its consultation.
    must((await visit(page, env.base, '/coordination')) === 200, `${label}: /coordination answers 200`);
    const inbox = page.locator('section[aria-labelledby=inbox]').getByRole('link', { name: wide.title });
    must((await inbox.count()) > 0, `${label}: the Coordination's inbox lists "${wide.title}"`, await text(page, 'section[aria-labelledby=inbox]'));
    await look(`${label} coordination (avec la proposition)`);
    await Promise.all([page.waitForURL(/\/coordination\/escalades\//), inbox.first().click()]);
    await page.waitForLoadState('load');
    check((await text(page, 'h1')) === wide.title, `${label}: the escalation's page is titled "${wide.title}"`);
    const esc = await text(page, 'main');
    check(esc.includes(who.consult) && esc.includes(wide.said), `${label}: the escalation's page shows the consultation`, esc.slice(0, 2000));
    await look(`${label} coordination/escalade (la sienne)`);
  } catch (e) {
    if (!(e instanceof StepFailed)) fail(`${label}: the flow broke`, e.stack || String(e));
  } finally {
    await page.close();
  }
}

/** GraphiQL at /graphql: the editor renders, and nothing is fetched from anywhere else. */
async function graphiqlFlow(browser, env) {
  // The page's own CSP applies here: a console that needs a CDN would be refused, and shown.
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: WIDE, height: 800 } });
  const page = await ctx.newPage();
  const outside = [];
  const errors = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (/^(https?|wss?):$/.test(u.protocol) && u.hostname !== '127.0.0.1') outside.push(r.url());
  });
  const failed = [];
  page.on('response', async (r) => {
    if (r.status() < 400) return;
    const body = await r.text().catch(() => '');
    failed.push(`${r.status()} ${r.request().method()} ${r.url()}: ${body.slice(0, 300)}`);
  });
  page.on('console', (m) => {
    // A failed request is logged too: it is reported with its answer below.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    const r = await page.goto(`${env.base}/graphql`, { waitUntil: 'load' });
    must(r && r.status() === 200, `graphiql: /graphql answers 200 to a browser (${r && r.status()})`);
    const rendered = await page
      .waitForSelector('.graphiql-container', { timeout: 15000 })
      .then(() => true)
      .catch(() => false);
    check(rendered, 'graphiql: the GraphiQL editor renders (.graphiql-container)', (await page.content()).slice(0, 800));
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
    check(outside.length === 0, 'graphiql: no request leaves 127.0.0.1 (no CDN)', outside.join('\n'));
    check(failed.length === 0, 'graphiql: every request of the console succeeds (the schema introspection included)', failed.join('\n'));
    check(errors.length === 0, 'graphiql: no script error nor CSP refusal', errors.join('\n'));
  } catch (e) {
    if (!(e instanceof StepFailed)) fail('graphiql: the flow broke', e.stack || String(e));
  } finally {
    await ctx.close();
  }
}

/** The titles the Relevé tags "publiée", across its pages. */
async function publishedTitles(page) {
  const titles = new Set();
  const start = page.url();
  for (let i = 0; i < 20; i++) {
    const cards = await page.locator('main .cards > li').all();
    for (const c of cards) {
      if (await c.locator('.tag.ok').count()) titles.add((await c.locator('h2').innerText()).trim());
    }
    const next = page.locator('a[rel=next]');
    if (!(await next.count())) break;
    await Promise.all([page.waitForLoadState('load'), next.first().click()]);
    await page.waitForLoadState('load');
  }
  if (page.url() !== start) await page.goto(start, { waitUntil: 'load' });
  return titles;
}

/** An outsider, signed in nowhere: /public shows the published decisions and nothing else. */
async function outsiderFlow(ctx, env, found, { checks, label, shots, twin }) {
  const page = await ctx.newPage();
  try {
    must((await visit(page, env.base, '/public')) === 200, `${label}: /public answers 200`);
    check((await text(page, 'h1')).length > 0, `${label}: /public has a heading "${await text(page, 'h1')}"`);
    if (checks) await checkPage(page, `${label} public`, twin);
    if (shots) await screenshot(page, 'public.png');
    const main = await text(page, 'main');
    const titles = (await page.locator('main .cards h2').allInnerTexts()).map((t) => t.trim());
    check(titles.includes(DEMO.published), `${label}: /public lists "${DEMO.published}"`, titles.join('\n'));
    check(!main.includes(DEMO.internal.title), `${label}: /public does not name the internal "${DEMO.internal.title}"`);
    check(!/interne au mouvement/i.test(main), `${label}: /public shows no decision tagged internal`);
    if (found.published) {
      const stray = titles.filter((t) => !found.published.has(t));
      check(stray.length === 0, `${label}: every decision on /public is one the Relevé tags "publiée" (${titles.length})`, stray.join('\n'));
    }
    // Searching for it finds nothing either.
    await page.locator('#q').fill(DEMO.search);
    await Promise.all([page.waitForURL(/[?&]q=/), page.locator('form[role=search] button[type=submit]').click()]);
    await page.waitForLoadState('load');
    check(!(await text(page, 'main')).includes(DEMO.internal.title), `${label}: searching /public for "${DEMO.search}" does not find the internal decision`);
    if (checks) await checkPage(page, `${label} public (recherche)`, twin);
    // The published decision's page is open to all.
    const pub = page.getByRole('link', { name: DEMO.published });
    await visit(page, env.base, '/public');
    if (await pub.count()) {
      const href = await pub.first().getAttribute('href');
      await Promise.all([page.waitForEvent('load'), pub.first().click()]);
      await page.waitForLoadState('load');
      const opened = check(
        pathOf(page) === href && (await text(page, 'h1')) === DEMO.published,
        `${label}: the published decision's page (${href}) opens for an outsider`,
        `the link led to ${pathOf(page)}`,
      );
      if (opened && checks) await checkPage(page, `${label} decision publique`, twin);
    }
    // The internal decision's own URL gives nothing away.
    if (found.internalPath) {
      const status = await visit(page, env.base, found.internalPath);
      const body = await page.locator('body').innerText();
      check(
        !body.includes(DEMO.internal.title) && !body.includes(DEMO.internal.statement),
        `${label}: ${found.internalPath} shows an outsider neither the title nor the statement (${status} → ${pathOf(page)})`,
      );
      check(status !== 200 || pathOf(page) === '/connexion', `${label}: the internal decision's URL answers an error or the sign-in page (${status})`);
    } else note(`${label}: the internal decision's URL is unknown (the member's flow broke before it)`);
    // A member's pages send an outsider to the sign-in form.
    await visit(page, env.base, '/releve');
    check(pathOf(page) === '/connexion', `${label}: /releve sends an outsider to /connexion`);
  } catch (e) {
    if (!(e instanceof StepFailed)) fail(`${label}: the flow broke`, e.stack || String(e));
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const bin = process.env.GOUVERNAIL_BIN;
  if (!bin || !fs.existsSync(bin)) {
    console.error(`GOUVERNAIL_BIN must name the gouvernail binary (got ${bin ?? 'nothing'})`);
    process.exit(2);
  }
  const sink = await smtpSink();
  const server = await startServer(bin, sink.port);
  let browser;
  const stop = () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  };
  process.on('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
  try {
    if (!server.ready) {
      fail('the server starts and listens', server.output());
      return;
    }
    ok(`the server listens on ${server.base} (SMTP sink on ${sink.port})`);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--lang=fr-FR'],
    });
    const env = { base: server.base, sink };
    const options = {
      locale: 'fr-FR',
      viewport: { width: WIDE, height: 800 },
      // axe-core is injected as a script: the pages' own CSP (script-src 'self') would refuse it.
      bypassCSP: true,
    };

    // With JavaScript: every page checked.
    const member = await browser.newContext(options);
    const found = await memberFlow(member, env, DEMO.member, { checks: true, label: 'member', shots: true });
    await member.close();
    const holder = await browser.newContext(options);
    await holderFlow(holder, env, DEMO.holder, { checks: true, label: 'holder', shots: true });
    await holder.close();
    const outsider = await browser.newContext(options);
    await outsiderFlow(outsider, env, found, { checks: true, label: 'outsider', shots: true });
    await outsider.close();
    await graphiqlFlow(browser, env);

    // Without JavaScript: the same flows must work with plain links and forms, and every page
    // passes the same checks (axe in a twin page with JavaScript on, given the same document).
    // The pages' CSP is kept here, and anything it refuses is reported.
    const noJs = { locale: 'fr-FR', viewport: { width: WIDE, height: 800 }, javaScriptEnabled: false };
    const twin = await browser.newContext(options);
    const refused = [];
    const watch = (ctx) =>
      ctx.on('console', (m) => {
        if (m.type() !== 'error') return;
        const where = m.location()?.url ?? '';
        // A document answering an error status is logged too: the flows check those statuses.
        if (/^Failed to load resource/.test(m.text()) && where === m.page()?.url()) return;
        refused.push(`${where}: ${m.text()}`);
      });
    const opts = (label) => ({ checks: true, label, shots: false, twin });
    const memberNoJs = await browser.newContext(noJs);
    watch(memberNoJs);
    const found2 = await memberFlow(memberNoJs, env, DEMO.memberNoJs, opts('no-js member'));
    await memberNoJs.close();
    const holderNoJs = await browser.newContext(noJs);
    watch(holderNoJs);
    await holderFlow(holderNoJs, env, DEMO.holderNoJs, opts('no-js holder'));
    await holderNoJs.close();
    const outsiderNoJs = await browser.newContext(noJs);
    watch(outsiderNoJs);
    await outsiderFlow(outsiderNoJs, env, found2, opts('no-js outsider'));
    await outsiderNoJs.close();
    await twin.close();
    check(refused.length === 0, 'no-js: the browser reports no error (CSP, missing resource)', refused.join('\n'));
  } catch (e) {
    fail('the run broke', e.stack || String(e));
  } finally {
    if (browser) await browser.close();
    stop();
    sink.server.close();
    fs.rmSync(server.dir, { recursive: true, force: true });
  }
}

async function finish() {
  await main();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length) {
    console.log(`\n${failures.length} check(s) failed in ${seconds} s:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`\nall checks passed in ${seconds} s`);
  process.exit(0);
}

// Run as a script, it runs everything; imported (to try checkPage on another page), nothing.
export { checkPage, failures };
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await finish();
