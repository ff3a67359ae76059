/** DefaultBinder: binding is the caller's write (a BindPod decision); the plugin only says yes. */
import type { BindPlugin } from "../framework.ts";
import { SUCCESS } from "../status.ts";

export const defaultBinderName = "DefaultBinder";

export function newDefaultBinder(): BindPlugin {
  return { name: defaultBinderName, bind: () => SUCCESS };
}
