// The server's command contract, seen from the client: the arguments each command sends
// through `workspace/executeCommand`, and checks of what comes back. No VS Code API here.

/** Ids of the commands the server executes (`workspace/executeCommand`). */
export const SERVER = {
  explainMethod: "bsl-assist.explainMethod",
  generateTests: "bsl-assist.generateTests",
  addDocComment: "bsl-assist.addDocComment",
  review: "bsl-assist.review",
  diagram: "bsl-assist.diagram",
  report: "bsl-assist.report",
  chat: "bsl-assist.chat",
  analyzeRequirements: "bsl-assist.analyzeRequirements",
  auditLog: "bsl-assist.auditLog",
} as const;

/** The custom request behind "Show statistics". */
export const STATS_REQUEST = "bsl-assist/stats";
/** The server's status notification for the status bar item. */
export const STATUS_NOTIFICATION = "bsl-assist/status";

/** `[uri, methodName]` for the commands about one method. */
export function methodArguments(uri: string, methodName: string): [string, string] {
  return [uri, methodName];
}

/** `[uri, methodName]`; an empty name asks for tests of every exported method of the module. */
export function generateTestsArguments(uri: string, methodName: string | undefined): [string, string] {
  return [uri, methodName ?? ""];
}

/** `[uri]` for a module, `[]` for the whole workspace. */
export function diagramArguments(uri: string | undefined): string[] {
  return uri === undefined ? [] : [uri];
}

/** What the subsystem diagram is asked for: subsystems down to `depth` levels. */
export interface SubsystemDiagramRequest {
  level: "subsystem";
  depth: number;
}

/** `[{level: "subsystem", depth}]`: calls between subsystems, nested down to `depth`. */
export function subsystemDiagramArguments(depth: number): [SubsystemDiagramRequest] {
  return [{ level: "subsystem", depth: Math.max(1, Math.floor(depth)) }];
}

export interface ChatQuestion {
  question: string;
  uri?: string;
  line?: number;
}

/** `[{question, uri?, line?}]`: the question with the module and line it is asked from. */
export function chatArguments(question: string, uri?: string, line?: number): [ChatQuestion] {
  const out: ChatQuestion = { question };
  if (uri !== undefined) {
    out.uri = uri;
  }
  if (line !== undefined) {
    out.line = line;
  }
  return [out];
}

/**
 * The server's code actions run our commands with `[uri, methodName]`; a command run from the
 * palette or a menu gets no arguments (or VS Code's own URI object from an explorer menu).
 */
export function methodFromArguments(args: unknown[]): { uri: string; methodName: string } | undefined {
  const [uri, methodName] = args;
  if (typeof uri === "string" && typeof methodName === "string") {
    return { uri, methodName };
  }
  return undefined;
}

/** A user-facing message for a failed command; an older server's "unknown command" is said plainly. */
export function describeCommandError(command: string, error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === "object" && error !== null && "message" in error ? String((error as { message: unknown }).message) : String(error);
  if (/unknown command|method not found|unhandled method/i.test(message)) {
    return `bsl-assist: the language server does not support \`${command}\` (${message}). Update the server binary.`;
  }
  return `bsl-assist: ${command} failed: ${message}`;
}

export class UnexpectedAnswer extends Error {
  constructor(command: string, value: unknown) {
    super(`unexpected answer to ${command}: ${truncate(JSON.stringify(value) ?? String(value), 200)}`);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

function record(command: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UnexpectedAnswer(command, value);
  }
  return value as Record<string, unknown>;
}

function string(command: string, value: unknown, v: Record<string, unknown>, key: string): string {
  const field = v[key];
  if (typeof field !== "string") {
    throw new UnexpectedAnswer(command, value);
  }
  return field;
}

function optionalString(v: Record<string, unknown>, key: string): string | undefined {
  const field = v[key];
  return typeof field === "string" && field !== "" ? field : undefined;
}

/** `{markdown}` of explainMethod, review and chat. */
export function parseMarkdown(command: string, value: unknown): string {
  return string(command, value, record(command, value), "markdown");
}

export interface GeneratedTests {
  text: string;
  suggestedName: string;
  uri?: string;
  applied: boolean;
}

export function parseGeneratedTests(value: unknown): GeneratedTests {
  const command = SERVER.generateTests;
  const v = record(command, value);
  return {
    text: typeof v.text === "string" ? v.text : "",
    suggestedName: string(command, value, v, "suggestedName"),
    uri: optionalString(v, "uri"),
    applied: v.applied === true,
  };
}

export function parseApplied(command: string, value: unknown): boolean {
  return record(command, value).applied === true;
}

export interface Diagram {
  mermaid: string;
  title: string;
}

export function parseDiagram(value: unknown): Diagram {
  const command = SERVER.diagram;
  const v = record(command, value);
  return { mermaid: string(command, value, v, "mermaid"), title: optionalString(v, "title") ?? "Diagram" };
}

export interface Report {
  markdown: string;
  mermaid?: string;
}

export function parseReport(value: unknown): Report {
  const command = SERVER.report;
  const v = record(command, value);
  return { markdown: string(command, value, v, "markdown"), mermaid: optionalString(v, "mermaid") };
}

export function parseAuditLog(value: unknown): string {
  const command = SERVER.auditLog;
  return string(command, value, record(command, value), "path");
}

/** The statistics object, pretty-printed for a JSON editor. */
export function formatStats(value: unknown): string {
  return `${JSON.stringify(value ?? null, null, 2)}\n`;
}
