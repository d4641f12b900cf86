#!/usr/bin/env node
// Builds Baken's self-hosted front-end assets into baken/static/baken/vendor/.
//
//   cd frontend && npm ci && node build.mjs          # (re)write the committed files
//   cd frontend && node build.mjs --check            # exit 1 if they are out of date
//
// Plain Node (>= 20), no dependencies besides the pinned packages in package.json.
// The output is deterministic: same package-lock.json => byte-identical files.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const NODE_MODULES = join(HERE, "node_modules");
const OUT_DIR = join(HERE, "..", "baken", "static", "baken", "vendor");

const COMPONENTS = "@utrecht/component-library-css";
const THEME = "@nl-design-system-unstable/voorbeeld-design-tokens";
const HTMX = "htmx.org";

// The class the theme's custom properties are scoped to (put it on <html>).
const THEME_CLASS = "voorbeeld-theme";
// Theme tokens kept: these prefixes, plus every token the component CSS or the
// overrides use, plus (transitively) every token those refer to. The theme also
// carries tokens for other NL Design System libraries (Amsterdam, Den Haag, ...)
// that Baken does not ship; they are left out.
const KEEP_TOKEN_PREFIXES = ["--basis-", "--utrecht-", "--voorbeeld-"];

const CHECK = process.argv.includes("--check");

// ---------------------------------------------------------------- helpers

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(1);
}

function pkgDir(name) {
  return join(NODE_MODULES, ...name.split("/"));
}

function pkgInfo(name) {
  const file = join(pkgDir(name), "package.json");
  if (!existsSync(file)) fail(`${name} is not installed: run \`npm ci\` in frontend/ first`);
  const meta = JSON.parse(readFileSync(file, "utf8"));
  const pinned = JSON.parse(readFileSync(join(HERE, "package.json"), "utf8")).dependencies[name];
  if (meta.version !== pinned) {
    fail(`${name} ${meta.version} is installed but package.json pins ${pinned}: run \`npm ci\``);
  }
  return { name, version: meta.version, license: meta.license };
}

function read(name, relPath) {
  return readFileSync(join(pkgDir(name), relPath), "utf8").replace(/\r\n?/g, "\n");
}

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");

const EXTERNAL = String.raw`\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//`; // http://, https://, //host
const EXTERNAL_URL = new RegExp(String.raw`url\(${EXTERNAL}`, "i");

// Remove everything that would make the browser contact another origin:
// @import of remote sheets (all @imports, in fact: the output is one file),
// @font-face blocks with remote sources, and declarations with a remote url().
// data: URIs (inline SVG icons) are kept. Source-map comments are dropped too.
function stripExternal(css, label) {
  const counts = { import: 0, fontFace: 0, declaration: 0, charset: 0, sourceMap: 0 };
  css = css.replace(/@charset\s+"[^"]*"\s*;\n?/gi, () => (counts.charset++, ""));
  css = css.replace(/\/\*[#@]\s*sourceMappingURL=[^*]*\*\/\n?/g, () => (counts.sourceMap++, ""));
  css = css.replace(/@import\s[^;]*;\n?/gi, () => (counts.import++, ""));
  css = css.replace(/@font-face\s*\{[^}]*\}\n?/gi, (block) =>
    EXTERNAL_URL.test(block) ? (counts.fontFace++, "") : block,
  );
  css = css.replace(new RegExp(String.raw`[^;{}]*url\(${EXTERNAL}[^)]*\)[^;{}]*;?`, "gi"), () => {
    counts.declaration++;
    return "";
  });
  const removed = Object.entries(counts).filter(([, n]) => n);
  if (removed.length) {
    console.log(`  ${label}: removed ${removed.map(([k, n]) => `${n} ${k}`).join(", ")}`);
  }
  return css;
}

const varRefs = (text) => new Set([...text.matchAll(/var\(\s*(--[A-Za-z0-9_-]+)/g)].map((m) => m[1]));

// The theme file is one rule, `.voorbeeld-theme { --a: b; ... }`, one declaration a line.
function parseTheme(css) {
  const open = `.${THEME_CLASS} {\n`;
  const start = css.indexOf(open);
  const end = css.lastIndexOf("\n}");
  if (start < 0 || end < start || css.indexOf(open, start + 1) >= 0) {
    fail(`${THEME}: expected exactly one \`.${THEME_CLASS} { ... }\` rule in dist/theme.css`);
  }
  const head = css.slice(0, start);
  if (/[{}]/.test(head.replace(/\/\*[\s\S]*?\*\//g, "")) || css.slice(end + 2).trim()) {
    fail(`${THEME}: unexpected rules outside .${THEME_CLASS} in dist/theme.css`);
  }
  const decls = [];
  for (const line of css.slice(start + open.length, end + 1).split("\n")) {
    if (!line.trim()) continue;
    const m = /^\s*(--[A-Za-z0-9_-]+)\s*:(.*);(\s*\/\*.*\*\/)?\s*$/.exec(line);
    if (!m) fail(`${THEME}: cannot parse theme line: ${line}`);
    decls.push({ name: m[1], value: m[2], line: line.trimEnd() });
  }
  return decls;
}

// ---------------------------------------------------------------- inputs

const components = pkgInfo(COMPONENTS);
const theme = pkgInfo(THEME);
const htmx = pkgInfo(HTMX);
if (!/^2\./.test(htmx.version)) fail(`htmx.org must be v2, got ${htmx.version}`);

console.log(`Building ${OUT_DIR}`);
const componentCss = stripExternal(read(COMPONENTS, "dist/index.css"), `${COMPONENTS}/dist/index.css`);
const themeCss = stripExternal(read(THEME, "dist/theme.css"), `${THEME}/dist/theme.css`);
const overridesCss = stripExternal(
  readFileSync(join(HERE, "src", "baken-overrides.css"), "utf8").replace(/\r\n?/g, "\n"),
  "src/baken-overrides.css",
);

// ---------------------------------------------------------------- theme tokens

const decls = parseTheme(themeCss);
const defined = new Map(decls.map((d) => [d.name, d]));
const keep = new Set();
const queue = [
  ...decls.map((d) => d.name).filter((n) => KEEP_TOKEN_PREFIXES.some((p) => n.startsWith(p))),
  ...varRefs(componentCss),
  ...varRefs(overridesCss),
];
while (queue.length) {
  const name = queue.pop();
  if (keep.has(name) || !defined.has(name)) continue;
  keep.add(name);
  queue.push(...varRefs(defined.get(name).value));
}
const overridden = new Set([...overridesCss.matchAll(/(--[A-Za-z0-9_-]+)\s*:/g)].map((m) => m[1]));
for (const ref of varRefs(overridesCss)) {
  if (!defined.has(ref) && !overridden.has(ref)) {
    fail(`src/baken-overrides.css uses ${ref}, which ${THEME} ${theme.version} does not define`);
  }
}
const keptDecls = decls.filter((d) => keep.has(d.name));
console.log(`  theme: kept ${keptDecls.length} of ${decls.length} custom properties`);

// ---------------------------------------------------------------- outputs

const banner = (lines) => `/*!\n${lines.map((l) => (l ? ` * ${l}` : " *")).join("\n")}\n */\n`;

const nldsCss = [
  '@charset "UTF-8";\n',
  banner([
    "nlds.css: generated by frontend/build.mjs, do not edit (see MANIFEST.txt).",
    "",
    "Part 1: design tokens of the NL Design System \"voorbeeld\" theme,",
    `  ${theme.name}@${theme.version}, scoped to .${THEME_CLASS}.`,
    "  Copyright (c) NL Design System Community. Licensed under the EUPL-1.2",
    "  (LICENSES/EUPL-1.2.txt). Modified by Baken: custom properties for other",
    "  component libraries (Amsterdam, Den Haag, Lux, RHC, todo-*) removed.",
    "Part 2: Baken overrides (system font stacks, a few missing tokens).",
    `Part 3: ${components.name}@${components.version}, unmodified except that`,
    "  its charset rule is moved to the top; its own license notices follow.",
    "  Copyright (c) Gemeente Utrecht, Frameless B.V. Licensed under the EUPL-1.2.",
    "",
    "This work is provided \"as is\", without warranty of any kind; see the",
    "disclaimer of warranty in the EUPL-1.2 (LICENSES/EUPL-1.2.txt).",
  ]),
  "\n/* ---- Part 1: theme tokens ---- */\n",
  `.${THEME_CLASS} {\n${keptDecls.map((d) => d.line).join("\n")}\n}\n`,
  "\n/* ---- Part 2: Baken overrides ---- */\n",
  overridesCss.trim() + "\n",
  "\n/* ---- Part 3: component library ---- */\n",
  componentCss.trim() + "\n",
].join("");

const htmxJs = read(HTMX, "dist/htmx.min.js");

// ---------------------------------------------------------------- verification

function verifyCss(css, label) {
  if (/@import\b/i.test(css)) fail(`${label}: @import left in output`);
  for (const m of css.matchAll(/url\(\s*(["']?)([^)]*)/gi)) {
    const target = m[2].trim();
    if (!/^data:/i.test(target)) fail(`${label}: non-data url() left in output: url(${target}`);
  }
  if (/sourceMappingURL/.test(css)) fail(`${label}: sourceMappingURL left in output`);
  if ((css.match(/@charset/g) || []).length !== 1 || !css.startsWith("@charset")) {
    fail(`${label}: @charset must appear exactly once, at the start`);
  }
  if ((css.match(/\{/g) || []).length !== (css.match(/\}/g) || []).length) {
    fail(`${label}: unbalanced braces`);
  }
}
verifyCss(nldsCss, "nlds.css");
if (/sourceMappingURL/.test(htmxJs)) fail("htmx.min.js: sourceMappingURL present");

// ---------------------------------------------------------------- write

const files = new Map([
  ["nlds.css", nldsCss],
  ["htmx.min.js", htmxJs],
  ["LICENSES/EUPL-1.2.txt", read(COMPONENTS, "LICENSE.md")],
  ["LICENSES/0BSD-htmx.org.txt", read(HTMX, "LICENSE")],
]);
if (read(THEME, "LICENSE.md") !== files.get("LICENSES/EUPL-1.2.txt")) {
  fail(`${THEME} LICENSE.md differs from ${COMPONENTS} LICENSE.md: ship both`);
}

const row = (file, source, license) => {
  const text = files.get(file);
  return [
    `${file}`,
    `  bytes:   ${Buffer.byteLength(text, "utf8")}`,
    `  sha256:  ${sha256(text)}`,
    ...source.map((s, i) => `  ${i ? "         " : "source: "} ${s}`),
    `  license: ${license}`,
  ].join("\n");
};
const manifest = [
  "Baken vendored front-end assets",
  "Generated by frontend/build.mjs; do not edit these files by hand.",
  "Regenerate: cd frontend && npm ci && node build.mjs   (verify: node build.mjs --check)",
  "Nothing here loads anything from another origin (no CDN, no web fonts).",
  "",
  row(
    "nlds.css",
    [
      `${theme.name}@${theme.version} dist/theme.css (tokens; unused libraries' tokens removed)`,
      "frontend/src/baken-overrides.css (Baken's own: system font stacks, missing tokens)",
      `${components.name}@${components.version} dist/index.css`,
    ],
    `${theme.license} (theme) and ${components.license} (components); see LICENSES/EUPL-1.2.txt`,
  ),
  `  usage:   <html class="utrecht-root ${THEME_CLASS}"> <body class="utrecht-body">`,
  "",
  row("htmx.min.js", [`${htmx.name}@${htmx.version} dist/htmx.min.js (unmodified)`], `${htmx.license}; see LICENSES/0BSD-htmx.org.txt`),
  "",
  row("LICENSES/EUPL-1.2.txt", [`${components.name}@${components.version} LICENSE.md (same text in ${theme.name})`], "EUPL-1.2 licence text"),
  "",
  row("LICENSES/0BSD-htmx.org.txt", [`${htmx.name}@${htmx.version} LICENSE`], "0BSD licence text"),
  "",
].join("\n");
files.set("MANIFEST.txt", manifest);

let stale = 0;
for (const [file, text] of files) {
  const target = join(OUT_DIR, file);
  const current = existsSync(target) ? readFileSync(target, "utf8") : null;
  if (current === text) continue;
  stale++;
  if (CHECK) {
    console.error(`  out of date: ${file}`);
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    console.log(`  wrote ${file}`);
  }
}
let total = 0;
for (const [file, text] of files) {
  const bytes = Buffer.byteLength(text, "utf8");
  total += bytes;
  console.log(`  ${file.padEnd(28)} ${String(bytes).padStart(8)} bytes`);
}
console.log(`  ${"total".padEnd(28)} ${String(total).padStart(8)} bytes`);
if (CHECK && stale) fail(`${stale} file(s) out of date: run \`node build.mjs\` in frontend/`);
console.log(stale ? "Done." : "Up to date.");
