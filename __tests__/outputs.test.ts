import { describe, expect, it } from "vitest";
import { findOutputFiles, findTextOutputs, safeFileName, safeSegment, UniqueNames } from "../src/run/outputs.js";
import { observeUnits } from "../src/billing/observe.js";

describe("finding outputs in fal results", () => {
  it("finds images, video, audio shapes and any file-like object", () => {
    const files = findOutputFiles({
      images: [
        { url: "https://v3.fal.media/a.png", width: 1024, height: 768, content_type: "image/png" },
        { url: "https://v3.fal.media/b.jpg" },
      ],
      video: { url: "https://v3.fal.media/v.mp4", content_type: "video/mp4", file_name: "v.mp4" },
      audio_url: { url: "https://v3.fal.media/s.wav", content_type: "audio/wav" },
      audio_file: { url: "https://v3.fal.media/t.mp3", file_size: 100 },
      extra: { nested: { url: "https://v3.fal.media/m.glb", file_name: "m.glb" } },
      seed: 42,
      prompt: "not a file",
    }).files;
    expect(files.map((f) => f.source)).toEqual(["images[0]", "images[1]", "video", "audio_url", "audio_file", "extra.nested"]);
  });

  it("treats a bare URL under a file key as a file, not other strings", () => {
    expect(findOutputFiles({ audio_url: "https://x/a.mp3", text: "https://not-a-file" }).files.map((f) => f.source)).toEqual(["audio_url"]);
  });

  it("walks any depth, in document order, and says when it stopped at the node cap", () => {
    let deep: unknown = { video: { url: "https://x/v.mp4", content_type: "video/mp4" } };
    for (let i = 0; i < 50; i++) deep = { a: deep };
    const found = findOutputFiles({ images: [{ url: "https://x/0.png" }], deep, audio: { url: "https://x/a.mp3" } });
    expect(found.complete).toBe(true);
    expect(found.files.map((f) => f.source)).toEqual(["images[0]", `deep.${"a.".repeat(50)}video`, "audio"]);
    const capped = findOutputFiles({ images: [{ url: "https://x/0.png" }], more: [{}, {}, {}, { image: { url: "https://x/1.png" } }] }, 4);
    expect(capped).toEqual({ files: [expect.objectContaining({ source: "images[0]" })], complete: false });
  });

  it("finds text results worth their own file", () => {
    expect(findTextOutputs({ output: "hello", text: "", usage: {} })).toEqual([{ source: "output", text: "hello" }]);
    expect(findTextOutputs({ text: "transcript", chunks: [] })).toEqual([{ source: "text", text: "transcript" }]);
  });

  it("names files from the JSON path, never from a server-chosen name", () => {
    expect(safeFileName({ source: "images[0]", url: "https://x/../../etc/passwd", contentType: "image/png", fileName: "../../.bashrc" })).toBe("images_0.png");
    expect(safeFileName({ source: "video", url: "https://x/y/clip.MP4?sig=1", contentType: null, fileName: null })).toBe("video.mp4");
    expect(safeFileName({ source: "extra.nested", url: "https://x/", contentType: "audio/mpeg", fileName: null })).toBe("extra_nested.mp3");
    expect(safeFileName({ source: "a", url: "https://x/f", contentType: null, fileName: null })).toBe("a.bin");
    expect(safeFileName({ source: "x", url: "https://x/f.part", contentType: null, fileName: null })).toBe("x.bin");
    expect(safeFileName({ source: "con", url: "https://x/f", contentType: "image/png", fileName: null })).toBe("con_.png");
    expect(safeSegment("../../animal=cat,size=square-1")).toBe("animal=cat,size=square-1");
    expect(safeSegment('size={"width":640}-1')).toBe("size=_width_640_-1");
  });
});

describe("UniqueNames", () => {
  it("hands out each name once, case-insensitively, around reserved names and within the length bound", () => {
    const names = new UniqueNames(["result.json"]);
    expect(["images_0.png", "images_0.png", "Images_0.PNG", "result.json", "RESULT.json", "text.txt", "a"].map((n) => names.take(n))).toEqual([
      "images_0.png",
      "images_0~2.png",
      "Images_0~3.PNG",
      "result~2.json",
      "RESULT~3.json",
      "text.txt",
      "a",
    ]);
    // `images_0~2.png` is taken: a source whose own name is that does not collide with it.
    expect(names.take("images_0~2.png")).toBe("images_0~2~2.png");
  });
});

describe("observed units", () => {
  it("counts images and their real pixels, and refuses to guess", () => {
    const data = { images: [{ url: "u", width: 1024, height: 1024 }, { url: "u", width: 1536, height: 1536 }] };
    expect(observeUnits("images", data)).toBe(2);
    expect(observeUnits("megapixels", data)).toBe(4);
    expect(observeUnits("megapixels", { images: [{ url: "u" }] })).toBeNull();
    expect(observeUnits("seconds", { video: { url: "u", duration: 5.2 } })).toBe(5.2);
    expect(observeUnits("seconds", { video: { url: "u" } })).toBeNull();
    expect(observeUnits("compute_seconds", data)).toBeNull();
  });
});
