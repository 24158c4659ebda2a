// The status bar item's text from the server's `bsl-assist/status` notification.

export type LlmState = "off" | "local" | "remote";

export interface ServerStatus {
  indexing: { done: number; total: number } | null;
  llm: LlmState;
  modules: number;
}

export interface StatusView {
  text: string;
  tooltip: string;
}

/** While the workspace is indexed: a spinner and the count; then a check mark, modules and the LLM state. */
export function statusView(status: ServerStatus): StatusView {
  if (status.indexing) {
    const { done, total } = status.indexing;
    return {
      text: `$(sync~spin) BSL ${done}/${total}`,
      tooltip: `bsl-assist: indexing the workspace, ${done} of ${total} modules`,
    };
  }
  const llm = describeLlm(status.llm);
  return {
    text: `BSL ✓ ${status.modules} · LLM ${status.llm}`,
    tooltip: `bsl-assist: ${status.modules} modules indexed; ${llm}. Click for statistics.`,
  };
}

/** The status before the server has said anything. */
export function startingView(): StatusView {
  return { text: "$(sync~spin) BSL", tooltip: "bsl-assist: starting the language server" };
}

/** The status when the server could not be started or has stopped. */
export function stoppedView(reason: string): StatusView {
  return { text: "$(error) BSL", tooltip: `bsl-assist: ${reason}` };
}

function describeLlm(llm: string): string {
  switch (llm) {
    case "local":
      return "the assistants use a local model";
    case "remote":
      return "the assistants use a remote model";
    default:
      return "no language model: the assistants give their deterministic results";
  }
}

/** Checks a notification's params, which come from another process. */
export function parseStatus(value: unknown): ServerStatus | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  const llm = v.llm === "local" || v.llm === "remote" ? v.llm : "off";
  const modules = typeof v.modules === "number" ? v.modules : 0;
  let indexing: ServerStatus["indexing"] = null;
  if (typeof v.indexing === "object" && v.indexing !== null) {
    const i = v.indexing as Record<string, unknown>;
    if (typeof i.done === "number" && typeof i.total === "number") {
      indexing = { done: i.done, total: i.total };
    }
  }
  return { indexing, llm, modules };
}
