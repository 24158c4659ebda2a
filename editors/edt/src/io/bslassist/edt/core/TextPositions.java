package io.bslassist.edt.core;

import java.util.Arrays;

/**
 * Line starts of a text and conversion of LSP positions to offsets.
 *
 * <p>LSP positions count UTF-16 code units by default, and so do Java strings, so a
 * position's character is an index into the line as it is. {@code \n}, {@code \r\n} and a
 * lone {@code \r} all end a line, as they do for the server.
 */
public final class TextPositions {
    private final String text;
    private final int[] lineStarts;

    public TextPositions(String text) {
        this.text = text;
        int[] starts = new int[16];
        int count = 0;
        starts[count++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i++;
            } else if (c != '\r' && c != '\n') {
                continue;
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = i + 1;
        }
        this.lineStarts = Arrays.copyOf(starts, count);
    }

    public int lineCount() {
        return lineStarts.length;
    }

    /** The offset where the line's text ends, before its line break. */
    public int lineEnd(int line) {
        if (line + 1 >= lineStarts.length) {
            return text.length();
        }
        int end = lineStarts[line + 1];
        if (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
        }
        if (end > lineStarts[line] && text.charAt(end - 1) == '\r') {
            end--;
        }
        return end;
    }

    /**
     * The offset of a 0-based line and UTF-16 character. A line past the end maps to the end
     * of the text and a character past the line's end to that end, as LSP asks clients to do.
     */
    public int offset(int line, int character) {
        if (line < 0) {
            return 0;
        }
        if (line >= lineStarts.length) {
            return text.length();
        }
        int start = lineStarts[line];
        return Math.min(start + Math.max(character, 0), lineEnd(line));
    }
}
