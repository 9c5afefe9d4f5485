/** The missing-translation check: every shipped language has every English key, each message is valid ICU, and a
 * translation uses exactly the placeholders (and plural/select arguments) of its English source. */
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "./index";

const catalogues = import.meta.glob<Record<string, string>>("./locales/*/*.json", { eager: true, import: "default" });

function catalogue(language: string, ns: string): Record<string, string> {
  return catalogues[`./locales/${language}/${ns}.json`] ?? {};
}

const namespaces = Object.keys(catalogues)
  .filter((path) => path.startsWith("./locales/en/"))
  .map((path) => path.slice("./locales/en/".length, -".json".length));

/** The names of a message's arguments, with their kind ("name", "count:plural", "when:date"). */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.argument) into.add(el.value);
    else if (el.type === TYPE.plural) into.add(`${el.value}:plural`);
    else if (el.type === TYPE.select) into.add(`${el.value}:select`);
    else if (el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) into.add(el.value);
    else if (el.type === TYPE.tag) argumentsOf(el.children, into).add(`<${el.value}>`);
    if (el.type === TYPE.plural || el.type === TYPE.select)
      for (const option of Object.values(el.options)) argumentsOf(option.value, into);
  }
  return into;
}

// Tags that name an empty HTML element: <Trans> would render the element and drop the words inside it (a link
// written <link>Tasks</link> came out as an empty, nameless link).
const VOID_TAGS = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

describe("catalogues", () => {
  it("has namespaces", () => expect(namespaces).toContain("common"));

  it("wraps words only in tags that can hold them", () => {
    const wrong = Object.entries(catalogues).flatMap(([path, messages]) =>
      Object.entries(messages)
        .filter(([, message]) => VOID_TAGS.some((tag) => message.includes(`<${tag}>`)))
        .map(([key]) => `${path}: ${key}`),
    );
    expect(wrong).toEqual([]);
  });

  for (const ns of namespaces) {
    const source = catalogue("en", ns);
    for (const { code } of LANGUAGES) {
      const target = catalogue(code, ns);
      it(`${code}/${ns} has exactly the English keys`, () => {
        expect(Object.keys(target).sort()).toEqual(Object.keys(source).sort());
      });
      it(`${code}/${ns}: every message is non-empty ICU with the English placeholders`, () => {
        const problems: string[] = [];
        for (const [key, english] of Object.entries(source)) {
          const message = target[key];
          if (typeof message !== "string" || !message.trim()) {
            problems.push(`${key}: missing`);
            continue;
          }
          try {
            const want = [...argumentsOf(parse(english))].sort();
            const got = [...argumentsOf(parse(message))].sort();
            if (JSON.stringify(want) !== JSON.stringify(got))
              problems.push(`${key}: placeholders ${got.join(",")} instead of ${want.join(",")}`);
          } catch (err) {
            problems.push(`${key}: not ICU (${String(err)})`);
          }
        }
        expect(problems).toEqual([]);
      });
    }
  }
});
