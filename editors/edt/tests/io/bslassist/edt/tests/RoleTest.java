package io.bslassist.edt.tests;

import static io.bslassist.edt.tests.Check.equal;
import static io.bslassist.edt.tests.Check.that;

import com.google.gson.JsonParser;
import io.bslassist.edt.core.JsonRpcConnection;
import io.bslassist.edt.core.Role;
import java.util.concurrent.CompletionException;

/** The roles' server commands, arguments and how results and errors read. */
final class RoleTest {
    private RoleTest() {
    }

    static void run(Check check) {
        check.test("roles: server commands and arguments", () -> {
            equal("bsl-assist.addDocComment", Role.ADD_DOC_COMMENT.serverCommand(), "add doc comment");
            equal("[\"file:///m.bsl\",\"Метод\"]", Role.EXPLAIN_METHOD.arguments("file:///m.bsl", "Метод").toString(), "explain");
            equal(null, Role.EXPLAIN_METHOD.arguments("file:///m.bsl", null), "explain needs a method");
            equal(null, Role.ADD_DOC_COMMENT.arguments("file:///m.bsl", ""), "doc comment needs a method");
            equal("[\"file:///m.bsl\",\"\"]", Role.GENERATE_TESTS.arguments("file:///m.bsl", null).toString(),
                    "tests for the whole module");
            equal("[\"file:///m.bsl\"]", Role.REVIEW.arguments("file:///m.bsl", "Метод").toString(), "review takes the module");
            equal("[\"file:///m.bsl\"]", Role.DIAGRAM.arguments("file:///m.bsl", null).toString(), "diagram");
            equal(Role.DIAGRAM, Role.byKey("diagram"), "by key");
        });
        check.test("roles: results to show", () -> {
            equal(new Role.Shown("Explain method", "# А"),
                    Role.EXPLAIN_METHOD.present(JsonParser.parseString("{\"markdown\":\"# А\"}")), "explain");
            equal(new Role.Shown("Схема", "graph TD"),
                    Role.DIAGRAM.present(JsonParser.parseString("{\"mermaid\":\"graph TD\",\"title\":\"Схема\"}")), "diagram");
            equal(new Role.Shown("ОМ_М.bsl", "text"),
                    Role.GENERATE_TESTS.present(JsonParser.parseString("{\"text\":\"text\",\"suggestedName\":\"ОМ_М.bsl\"}")),
                    "tests");
            equal(null, Role.ADD_DOC_COMMENT.present(JsonParser.parseString("{\"applied\":true}")),
                    "an applied comment needs no dialog");
        });
        check.test("roles: an unknown command reads as an old server", () -> {
            String unknown = Role.REVIEW.describeError(new CompletionException(
                    new JsonRpcConnection.ResponseError(-32602, "unknown command `bsl-assist.review`")));
            that(unknown.contains("does not offer"), unknown);
            String other = Role.REVIEW.describeError(new RuntimeException("boom"));
            equal("Review module failed: boom", other, "other errors");
        });
    }
}
