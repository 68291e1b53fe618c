/**
 * Where fal lives. Each host can be redirected (a proxy, or a loopback fake in
 * tests) with an environment variable; nothing else in the code names a host.
 */
export interface FalEndpoints {
  queueUrl: string;
  restUrl: string;
  /** Platform API base, including the version: https://api.fal.ai/v1 */
  apiUrl: string;
}

export const FAL_DEFAULTS: FalEndpoints = {
  queueUrl: "https://queue.fal.run",
  restUrl: "https://rest.fal.ai",
  apiUrl: "https://api.fal.ai/v1",
};

export function falEndpointsFromEnv(env: NodeJS.ProcessEnv): FalEndpoints {
  return {
    queueUrl: trimSlash(env.FAL_QUEUE_URL || FAL_DEFAULTS.queueUrl),
    restUrl: trimSlash(env.FAL_REST_URL || FAL_DEFAULTS.restUrl),
    apiUrl: trimSlash(env.FAL_API_URL || FAL_DEFAULTS.apiUrl),
  };
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, "");
}
