package io.bslassist.edt.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The method the caret is in, found from the text alone: the nearest declaration line above
 * the caret ({@code Процедура}/{@code Функция}/{@code Procedure}/{@code Function}, any case),
 * unless a method's end keyword comes first, which puts the caret between methods.
 */
public final class MethodLocator {
    private static final Pattern DECLARATION = Pattern.compile(
            "^\\s*(?:(?:асинх|async)\\s+)?(?:процедура|функция|procedure|function)\\s+([\\p{L}_][\\p{L}\\p{N}_]*)\\s*\\(",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern END = Pattern.compile(
            "^\\s*(?:конецпроцедуры|конецфункции|endprocedure|endfunction)(?![\\p{L}\\p{N}_])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private MethodLocator() {
    }

    /** The name of the method holding the 0-based caret line, if any. */
    public static Optional<String> methodAt(String text, int caretLine) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        caretLine = Math.min(caretLine, lines.length - 1);
        for (int line = caretLine; line >= 0; line--) {
            Matcher declaration = DECLARATION.matcher(lines[line]);
            if (declaration.find()) {
                return Optional.of(declaration.group(1));
            }
            // An end keyword on the caret's own line still belongs to the method above.
            if (line < caretLine && END.matcher(lines[line]).find()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
