import { describe, expect, it } from "vitest";
import { manifestFormat } from "./ImportPanel";

describe("manifestFormat", () => {
  it("follows the file name when there is one", () => {
    expect(manifestFormat('{"key": "a.png"}', "batch.csv")).toBe("csv");
    expect(manifestFormat("key\na.png", "batch.jsonl")).toBe("jsonl");
  });
  it("recognises pasted JSONL by its first object and takes anything else as CSV", () => {
    expect(manifestFormat('\n  {"key": "a.png"}\n')).toBe("jsonl");
    expect(manifestFormat("key,item\na.png,x\n")).toBe("csv");
  });
});
