import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import * as realHttp from "@actions/http-client";
import * as realExec from "@actions/exec";
import * as http from "../src/shims/http-client.js";
import { exec, getExecOutput } from "../src/shims/exec.js";
import { loadNetworkModules } from "../src/shims/network.js";

/** The bundle's stand-ins for @actions/http-client and @actions/exec must be the real modules once loaded. */
describe("lazy @actions/http-client shim", () => {
  it("refuses use before loading, then exports the real classes and values", async () => {
    expect(() => new http.HttpClient("too-early")).toThrow(/before loadNetworkModules/);
    await loadNetworkModules();
    await loadNetworkModules(); // idempotent
    for (const name of Object.keys(realHttp) as Array<keyof typeof realHttp>) {
      expect(http[name as keyof typeof http], name).toBe(realHttp[name]);
    }
    expect(new http.HttpClientError("x", 500)).toBeInstanceOf(realHttp.HttpClientError);
  });

  it("makes real requests through the loaded client", async () => {
    await loadNetworkModules();
    const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new http.HttpClient("shim-test");
      const res = await client.getJson<{ ok: boolean }>(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(res.statusCode).toBe(http.HttpCodes.OK);
      expect(res.result).toEqual({ ok: true });
    } finally {
      server.close();
    }
  });
});

describe("lazy @actions/exec shim", () => {
  it("forwards to the real module on first call", async () => {
    expect(Object.keys(realExec).sort()).toEqual(["exec", "getExecOutput"]);
    const out = await getExecOutput(process.execPath, ["-e", "process.stdout.write('hi')"], { silent: true });
    expect(out).toMatchObject({ exitCode: 0, stdout: "hi" });
    expect(await exec(process.execPath, ["-e", "process.exit(3)"], { silent: true, ignoreReturnCode: true })).toBe(3);
  });
});
