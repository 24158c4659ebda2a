package io.bslassist.edt.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LSP diagnostics to Eclipse problem-marker attributes. Pure: it takes a diagnostic's JSON
 * and the text it was computed for, so it is tested without a workspace; {@code MarkerUpdater}
 * writes the maps onto files.
 *
 * <p>The attribute names and values are those of {@code org.eclipse.core.resources.IMarker},
 * spelled out here so this class loads without the resources bundle.
 */
public final class DiagnosticMarkers {
    /** The marker type declared in plugin.xml (a problem marker and a text marker). */
    public static final String MARKER_TYPE = "io.bslassist.edt.problem";

    public static final String MESSAGE = "message"; // IMarker.MESSAGE
    public static final String SEVERITY = "severity"; // IMarker.SEVERITY
    public static final String LINE_NUMBER = "lineNumber"; // IMarker.LINE_NUMBER
    public static final String CHAR_START = "charStart"; // IMarker.CHAR_START
    public static final String CHAR_END = "charEnd"; // IMarker.CHAR_END
    public static final String SOURCE_ID = "sourceId"; // IMarker.SOURCE_ID
    /** The rule code alone, for filters and quick lookups. */
    public static final String CODE = "io.bslassist.edt.code";

    public static final int SEVERITY_ERROR = 2; // IMarker.SEVERITY_ERROR
    public static final int SEVERITY_WARNING = 1; // IMarker.SEVERITY_WARNING
    public static final int SEVERITY_INFO = 0; // IMarker.SEVERITY_INFO

    private DiagnosticMarkers() {
    }

    /** LSP severity (1 error, 2 warning, 3 information, 4 hint; absent means error) to IMarker's. */
    public static int severity(JsonElement lspSeverity) {
        int value = lspSeverity == null || lspSeverity.isJsonNull() ? 1 : lspSeverity.getAsInt();
        return switch (value) {
            case 1 -> SEVERITY_ERROR;
            case 2 -> SEVERITY_WARNING;
            default -> SEVERITY_INFO;
        };
    }

    /** The attributes of one diagnostic's marker. */
    public static Map<String, Object> attributes(JsonObject diagnostic, TextPositions text) {
        JsonObject range = diagnostic.getAsJsonObject("range");
        JsonObject start = range.getAsJsonObject("start");
        JsonObject end = range.getAsJsonObject("end");
        int startLine = start.get("line").getAsInt();
        int startOffset = text.offset(startLine, start.get("character").getAsInt());
        int endOffset = text.offset(end.get("line").getAsInt(), end.get("character").getAsInt());
        String code = code(diagnostic.get("code"));
        String message = diagnostic.get("message").getAsString();

        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(MESSAGE, code == null ? message : "[" + code + "] " + message);
        attributes.put(SEVERITY, severity(diagnostic.get("severity")));
        attributes.put(LINE_NUMBER, startLine + 1);
        attributes.put(CHAR_START, startOffset);
        attributes.put(CHAR_END, Math.max(startOffset, endOffset));
        JsonElement source = diagnostic.get("source");
        attributes.put(SOURCE_ID, source == null || source.isJsonNull() ? "bsl-assist" : source.getAsString());
        if (code != null) {
            attributes.put(CODE, code);
        }
        return attributes;
    }

    /** Every diagnostic's attributes, in the server's order. */
    public static List<Map<String, Object>> attributes(JsonArray diagnostics, String text) {
        TextPositions positions = new TextPositions(text);
        List<Map<String, Object>> markers = new ArrayList<>(diagnostics.size());
        for (JsonElement diagnostic : diagnostics) {
            if (diagnostic.isJsonObject()) {
                markers.add(attributes(diagnostic.getAsJsonObject(), positions));
            }
        }
        return markers;
    }

    /** A diagnostic code is a string or a number in LSP. */
    private static String code(JsonElement code) {
        if (code == null || code.isJsonNull()) {
            return null;
        }
        String value = code.getAsString();
        return value.isEmpty() ? null : value;
    }
}
