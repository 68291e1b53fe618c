import { describe, expect, it } from "vitest";
import { commentMarker, figuresLine, hasMarker, parseFigures, parseStamp, stampLine, type Stamp } from "../src/comment/marker.js";
import { CommentForbiddenError, postSticky, type CommentMode, type CommentStore, type StoredComment } from "../src/comment/sticky.js";

/** The sticky modes and staleness rules over an in-memory store; the GitHub store's contract is comment-adapter.test.ts. */

interface MemoryComment extends StoredComment {
  shown: boolean;
}

class MemoryStore implements CommentStore<MemoryComment> {
  readonly comments: MemoryComment[] = [];
  /** Every write, in order: "create 3", "update 1", "remove 2", "minimize 2". */
  readonly writes: string[] = [];
  /** Thrown by every write when set. */
  failWrites?: Error;
  private lastId = 0;

  seed(body: string): MemoryComment {
    const id = ++this.lastId;
    const c = { id, url: `https://example.test/pr/1#c${id}`, body, shown: true };
    this.comments.push(c);
    return c;
  }
  async findOurs(marker: string): Promise<MemoryComment[]> {
    return this.comments.filter((c) => c.shown && hasMarker(c.body, marker)).map((c) => ({ ...c }));
  }
  async create(body: string): Promise<StoredComment> {
    this.write("create", this.lastId + 1);
    return this.seed(body);
  }
  async update(c: MemoryComment, body: string): Promise<StoredComment> {
    this.write("update", c.id);
    return Object.assign(this.byId(c.id), { body });
  }
  async remove(c: MemoryComment): Promise<void> {
    this.write("remove", c.id);
    this.comments.splice(this.comments.indexOf(this.byId(c.id)), 1);
  }
  async minimize(c: MemoryComment): Promise<void> {
    this.write("minimize", c.id);
    this.byId(c.id).shown = false;
  }
  private write(what: string, id: number): void {
    if (this.failWrites) throw this.failWrites;
    this.writes.push(`${what} ${id}`);
  }
  private byId(id: number): MemoryComment {
    return this.comments.find((c) => c.id === id)!;
  }
}

const marker = commentMarker("t");
const stamp = (runId: number, attempt = 1, at = "2026-11-22T10:00:00Z"): Stamp => ({ runId, attempt, at });
const bodyFor = (s: Stamp, text = "report") => `${marker}\n${stampLine(s)}\n${text}`;
const post = (store: MemoryStore, s: Stamp, mode: CommentMode = "update", text = "report") => postSticky(store, { marker, body: bodyFor(s, text), stamp: s, mode });

describe("sticky comment: update", () => {
  it("creates the first comment, then edits the latest of ours in place, leaving older ones and others' alone", async () => {
    const store = new MemoryStore();
    expect(await post(store, stamp(100))).toEqual({ action: "created", id: 1, url: store.comments[0]!.url });
    store.seed("someone else's comment");
    store.seed(bodyFor(stamp(101)));
    expect(await post(store, stamp(102), "update", "changed")).toEqual({ action: "updated", id: 3, url: store.comments[2]!.url });
    expect(store.writes).toEqual(["create 1", "update 3"]);
    expect(store.comments[2]!.body).toBe(bodyFor(stamp(102), "changed"));
  });

  it("writes nothing when only the stamp would change", async () => {
    const store = new MemoryStore();
    store.seed(bodyFor(stamp(100)));
    expect(await post(store, stamp(101))).toMatchObject({ action: "unchanged", id: 1 });
    expect(store.writes).toEqual([]);
  });

  it("orders runs by run id, then attempt, then time: only a later one may edit", async () => {
    const theirs = stamp(200, 2, "2026-11-22T10:00:05Z");
    const cases: [Stamp, "skipped-stale" | "updated"][] = [
      [stamp(199, 9, "2026-11-23T00:00:00Z"), "skipped-stale"],
      [stamp(200, 1, "2026-11-23T00:00:00Z"), "skipped-stale"],
      [stamp(200, 2, "2026-11-22T10:00:04Z"), "skipped-stale"],
      [stamp(200, 2, "2026-11-22T10:00:06Z"), "updated"],
      [stamp(200, 3, "2026-11-22T10:00:00Z"), "updated"],
      [stamp(201, 1, "2026-11-22T09:00:00Z"), "updated"],
    ];
    for (const [ours, action] of cases) {
      const store = new MemoryStore();
      store.seed(bodyFor(theirs));
      const res = await post(store, ours, "update", "changed");
      expect(res.action, JSON.stringify(ours)).toBe(action);
      if (action === "skipped-stale") {
        expect(res).toEqual({ action, id: 1, url: store.comments[0]!.url, newer: theirs });
        expect(store.writes).toEqual([]);
      }
    }
  });

  it("treats a comment without a stamp as older", async () => {
    const store = new MemoryStore();
    store.seed(`${marker}\nan unstamped report`);
    expect((await post(store, stamp(1))).action).toBe("updated");
    expect(parseStamp(store.comments[0]!.body)).toEqual(stamp(1));
  });
});

describe("sticky comment: on-change", () => {
  const withFigures = (s: Stamp, figures: string, text = "report") => `${marker}\n${stampLine(s)}\n${figuresLine(figures)}\n${text}`;
  const onChange = (store: MemoryStore, s: Stamp, figures: string, worthFirstComment: boolean, text = "report") =>
    postSticky(store, { marker, body: withFigures(s, figures, text), stamp: s, mode: "on-change", figures, worthFirstComment });

  it("writes no first comment unless one is worth it", async () => {
    const store = new MemoryStore();
    expect(await onChange(store, stamp(1), "aa", false)).toEqual({ action: "not-needed" });
    expect(store.writes).toEqual([]);
    expect(await onChange(store, stamp(2), "aa", true)).toMatchObject({ action: "created", id: 1 });
    expect(parseFigures(store.comments[0]!.body)).toBe("aa");
  });

  it("once there is one, compares the figures it shows, not its text: edits on a change of figures, even back to the base's", async () => {
    const store = new MemoryStore();
    store.seed(withFigures(stamp(1), "aa"));
    expect(await onChange(store, stamp(2), "aa", true, "other wording, same figures")).toMatchObject({ action: "unchanged", id: 1 });
    expect(await onChange(store, stamp(3), "bb", false, "report")).toMatchObject({ action: "updated", id: 1 });
    expect(store.writes).toEqual(["update 1"]);
    expect(parseFigures(store.comments[0]!.body)).toBe("bb");
  });

  it("edits a comment that shows no figures (written by another mode), and never one from a later run", async () => {
    const store = new MemoryStore();
    store.seed(bodyFor(stamp(1)));
    expect((await onChange(store, stamp(2), "aa", false)).action).toBe("updated");
    const later = new MemoryStore();
    later.seed(withFigures(stamp(9), "aa"));
    expect((await onChange(later, stamp(2), "bb", true)).action).toBe("skipped-stale");
    expect(later.writes).toEqual([]);
  });

  it("the figures line holds hex only, so nothing in it can close the HTML comment", () => {
    expect(figuresLine("ab--> <img>cd")).toBe("<!-- fal-jobs-action:figures abcd -->");
    expect(parseFigures(`${marker}\n<!-- fal-jobs-action:figures zz -->`)).toBeUndefined();
  });
});

describe("sticky comment: new, hide-and-new, delete-and-new", () => {
  it("new: adds a comment every time and touches none, whatever their stamps", async () => {
    const store = new MemoryStore();
    store.seed(bodyFor(stamp(300)));
    expect(await post(store, stamp(100), "new")).toMatchObject({ action: "created", id: 2 });
    expect(store.writes).toEqual(["create 2"]);
  });

  it("hide-and-new: minimizes every one of ours, then adds one", async () => {
    const store = new MemoryStore();
    store.seed(bodyFor(stamp(100)));
    store.seed("someone else's comment");
    store.seed(bodyFor(stamp(101)));
    expect(await post(store, stamp(102), "hide-and-new")).toMatchObject({ action: "created", id: 4 });
    expect(store.writes).toEqual(["minimize 1", "minimize 3", "create 4"]);
    expect(store.comments.map((c) => c.shown)).toEqual([false, true, false, true]);
  });

  it("delete-and-new: deletes every one of ours, then adds one", async () => {
    const store = new MemoryStore();
    store.seed(bodyFor(stamp(100)));
    store.seed("someone else's comment");
    store.seed(bodyFor(stamp(101)));
    expect(await post(store, stamp(102), "delete-and-new")).toMatchObject({ action: "created", id: 4 });
    expect(store.writes).toEqual(["remove 1", "remove 3", "create 4"]);
    expect(store.comments.map((c) => c.id)).toEqual([2, 4]);
  });

  for (const mode of ["hide-and-new", "delete-and-new"] as const) {
    it(`${mode}: when any of ours is from a later run, touches none of them and adds nothing`, async () => {
      const store = new MemoryStore();
      store.seed(bodyFor(stamp(100)));
      const newer = store.seed(bodyFor(stamp(300)));
      store.seed(bodyFor(stamp(150)));
      expect(await post(store, stamp(200), mode)).toEqual({ action: "skipped-stale", id: newer.id, url: newer.url, newer: stamp(300) });
      expect(store.writes).toEqual([]);
    });
  }
});

describe("sticky comment: a store that may not write", () => {
  it("reports forbidden with the store's message, and lets any other failure through", async () => {
    const store = new MemoryStore();
    store.failWrites = new CommentForbiddenError("Resource not accessible by integration");
    expect(await post(store, stamp(1))).toEqual({ action: "forbidden", message: "Resource not accessible by integration" });
    store.failWrites = new Error("boom");
    await expect(post(store, stamp(1))).rejects.toThrow("boom");
  });
});
