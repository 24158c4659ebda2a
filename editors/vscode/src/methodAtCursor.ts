// The method around the cursor, found from the text alone: the nearest `Процедура`/`Функция`
// (`Procedure`/`Function`) declaration above the cursor line, unless its end keyword comes
// first. A text scan rather than a server round trip, so that a command always knows its
// method at once, even in a half-typed module.

const NAME = String.raw`[\p{L}_][\p{L}\p{N}_]*`;
const DECLARATION = new RegExp(
  String.raw`^\s*(?:(?:Асинх|Async)\s+)?(?:Процедура|Функция|Procedure|Function)\s+(${NAME})\s*\(`,
  "iu",
);
const END = /^\s*(?:КонецПроцедуры|КонецФункции|EndProcedure|EndFunction)(?![\p{L}\p{N}_])/iu;

/**
 * The name of the method whose declaration encloses `line` (0-based), or `undefined` when the
 * cursor is outside every method (module variables, main program, between methods).
 */
export function methodAtLine(text: string, line: number): string | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  if (line < 0 || lines.length === 0) {
    return undefined;
  }
  for (let i = Math.min(line, lines.length - 1); i >= 0; i--) {
    const current = lines[i];
    const declaration = DECLARATION.exec(current);
    if (declaration) {
      return declaration[1];
    }
    // The end line itself still belongs to its method; an end line above the cursor closes it.
    if (i < line && END.test(current)) {
      return undefined;
    }
  }
  return undefined;
}

/** Every method declared in the module, in order (for a pick list when the cursor is outside). */
export function declaredMethods(text: string): string[] {
  const out: string[] = [];
  for (const current of text.split(/\r\n|\r|\n/)) {
    const declaration = DECLARATION.exec(current);
    if (declaration) {
      out.push(declaration[1]);
    }
  }
  return out;
}
