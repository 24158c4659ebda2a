package io.bslassist.edt.tests;

import static io.bslassist.edt.tests.Check.equal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bslassist.edt.core.DiagnosticMarkers;
import io.bslassist.edt.core.TextPositions;
import java.util.List;
import java.util.Map;

/** LSP diagnostics to problem-marker attributes. */
final class MarkerMappingTest {
    private MarkerMappingTest() {
    }

    private static JsonObject diagnostic(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    static void run(Check check) {
        check.test("markers: message, severity, 1-based line, offsets, source and code", () -> {
            String text = "Процедура А()\r\n\tЕсли Истина Тогда\r\n\tКонецЕсли;\r\nКонецПроцедуры\r\n";
            JsonObject d = diagnostic("{\"range\":{\"start\":{\"line\":1,\"character\":1},\"end\":{\"line\":2,\"character\":11}},"
                    + "\"severity\":2,\"code\":\"EmptyCodeBlock\",\"source\":\"bsl-assist\",\"message\":\"Пустой блок кода\"}");
            Map<String, Object> m = DiagnosticMarkers.attributes(d, new TextPositions(text));
            equal("[EmptyCodeBlock] Пустой блок кода", m.get(DiagnosticMarkers.MESSAGE), "message");
            equal(DiagnosticMarkers.SEVERITY_WARNING, m.get(DiagnosticMarkers.SEVERITY), "severity");
            equal(2, m.get(DiagnosticMarkers.LINE_NUMBER), "line number");
            int start = (Integer) m.get(DiagnosticMarkers.CHAR_START);
            int end = (Integer) m.get(DiagnosticMarkers.CHAR_END);
            equal("Если Истина Тогда\r\n\tКонецЕсли;", text.substring(start, end), "marked text (CRLF lines)");
            equal("bsl-assist", m.get(DiagnosticMarkers.SOURCE_ID), "source");
            equal("EmptyCodeBlock", m.get(DiagnosticMarkers.CODE), "code");
        });
        check.test("markers: LSP severities 1-4 and none", () -> {
            equal(DiagnosticMarkers.SEVERITY_ERROR, DiagnosticMarkers.severity(JsonParser.parseString("1")), "error");
            equal(DiagnosticMarkers.SEVERITY_WARNING, DiagnosticMarkers.severity(JsonParser.parseString("2")), "warning");
            equal(DiagnosticMarkers.SEVERITY_INFO, DiagnosticMarkers.severity(JsonParser.parseString("3")), "information");
            equal(DiagnosticMarkers.SEVERITY_INFO, DiagnosticMarkers.severity(JsonParser.parseString("4")), "hint");
            equal(DiagnosticMarkers.SEVERITY_ERROR, DiagnosticMarkers.severity(null), "absent");
            // IMarker's own constants, compiled in here from the resources bundle.
            equal(org.eclipse.core.resources.IMarker.SEVERITY_ERROR, DiagnosticMarkers.SEVERITY_ERROR, "IMarker error");
            equal(org.eclipse.core.resources.IMarker.SEVERITY_WARNING, DiagnosticMarkers.SEVERITY_WARNING, "IMarker warning");
            equal(org.eclipse.core.resources.IMarker.SEVERITY_INFO, DiagnosticMarkers.SEVERITY_INFO, "IMarker info");
            equal(org.eclipse.core.resources.IMarker.CHAR_START, DiagnosticMarkers.CHAR_START, "IMarker charStart");
            equal(org.eclipse.core.resources.IMarker.LINE_NUMBER, DiagnosticMarkers.LINE_NUMBER, "IMarker lineNumber");
            equal(org.eclipse.core.resources.IMarker.SOURCE_ID, DiagnosticMarkers.SOURCE_ID, "IMarker sourceId");
        });
        check.test("markers: UTF-16 columns after a surrogate pair, numeric codes, clamping", () -> {
            // "😀" is two UTF-16 code units, as in LSP's default position encoding.
            String text = "Сообщить(\"😀\"); Сообщить(1);\nКонец";
            JsonObject d = diagnostic("{\"range\":{\"start\":{\"line\":0,\"character\":16},\"end\":{\"line\":0,\"character\":24}},"
                    + "\"severity\":3,\"code\":42,\"message\":\"m\"}");
            Map<String, Object> m = DiagnosticMarkers.attributes(d, new TextPositions(text));
            equal("Сообщить", text.substring((Integer) m.get(DiagnosticMarkers.CHAR_START),
                    (Integer) m.get(DiagnosticMarkers.CHAR_END)), "range after the emoji");
            equal("[42] m", m.get(DiagnosticMarkers.MESSAGE), "numeric code");
            equal("bsl-assist", m.get(DiagnosticMarkers.SOURCE_ID), "default source");
            JsonObject past = diagnostic("{\"range\":{\"start\":{\"line\":1,\"character\":99},\"end\":{\"line\":7,\"character\":0}},"
                    + "\"message\":\"no code\"}");
            Map<String, Object> p = DiagnosticMarkers.attributes(past, new TextPositions(text));
            equal(text.length(), p.get(DiagnosticMarkers.CHAR_START), "a character past the line's end clamps");
            equal(text.length(), p.get(DiagnosticMarkers.CHAR_END), "a line past the end clamps");
            equal("no code", p.get(DiagnosticMarkers.MESSAGE), "no code, no prefix");
            equal(false, p.containsKey(DiagnosticMarkers.CODE), "no code attribute");
        });
        check.test("markers: a publication becomes one marker per diagnostic; empty clears", () -> {
            JsonArray list = JsonParser.parseString("[{\"range\":{\"start\":{\"line\":0,\"character\":0},"
                    + "\"end\":{\"line\":0,\"character\":1}},\"message\":\"a\"},{\"range\":{\"start\":{\"line\":1,"
                    + "\"character\":0},\"end\":{\"line\":1,\"character\":1}},\"message\":\"b\"}]").getAsJsonArray();
            List<Map<String, Object>> markers = DiagnosticMarkers.attributes(list, "x\ny\r");
            equal(2, markers.size(), "markers");
            equal(2, markers.get(1).get(DiagnosticMarkers.LINE_NUMBER), "second line");
            equal(2, markers.get(1).get(DiagnosticMarkers.CHAR_START), "offset after \\n");
            equal(0, DiagnosticMarkers.attributes(new JsonArray(), "").size(), "an empty publication");
        });
    }
}
