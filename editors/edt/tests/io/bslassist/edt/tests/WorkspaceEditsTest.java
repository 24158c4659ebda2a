package io.bslassist.edt.tests;

import static io.bslassist.edt.tests.Check.equal;
import static io.bslassist.edt.tests.Check.that;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bslassist.edt.core.WorkspaceEdits;
import java.util.Map;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.IDocument;
import org.eclipse.text.undo.DocumentUndoManagerRegistry;
import org.eclipse.text.undo.IDocumentUndoManager;

/** WorkspaceEdits applied to jface documents, as one undoable change. */
final class WorkspaceEditsTest {
    private WorkspaceEditsTest() {
    }

    /** A document with an undo manager attached, as an editor's document has. */
    static IDocumentUndoManager undoable(IDocument document) {
        DocumentUndoManagerRegistry.connect(document);
        IDocumentUndoManager undo = DocumentUndoManagerRegistry.getDocumentUndoManager(document);
        undo.connect(document);
        return undo;
    }

    static void run(Check check) {
        check.test("edits: several edits of `changes` are one change, and one undo reverts them", () -> {
            String before = "Процедура А()\n\tБ = 1;\nКонецПроцедуры\n";
            Document document = new Document(before);
            IDocumentUndoManager undo = undoable(document);
            JsonObject edit = JsonParser.parseString("{\"changes\":{\"file:///m.bsl\":["
                    + "{\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}},\"newText\":\"// А\\n\"},"
                    + "{\"range\":{\"start\":{\"line\":1,\"character\":1},\"end\":{\"line\":1,\"character\":2}},\"newText\":\"Бэ\"},"
                    + "{\"range\":{\"start\":{\"line\":2,\"character\":99},\"end\":{\"line\":2,\"character\":99}},\"newText\":\" // конец\"}"
                    + "]}}").getAsJsonObject();
            JsonObject result = WorkspaceEdits.applyAll(edit, uri -> uri.equals("file:///m.bsl") ? document : null);
            equal("{\"applied\":true}", result.toString(), "result");
            equal("// А\nПроцедура А()\n\tБэ = 1;\nКонецПроцедуры // конец\n", document.get(), "edited text");
            that(undo.undoable(), "the change is undoable");
            undo.undo();
            equal(before, document.get(), "one undo restores the text");
            that(!undo.undoable(), "nothing more to undo");
        });
        check.test("edits: documentChanges win over changes; file operations are refused", () -> {
            Document document = new Document("a\nb\n");
            JsonObject edit = JsonParser.parseString("{\"changes\":{\"file:///x\":[]},\"documentChanges\":[{\"textDocument\":"
                    + "{\"uri\":\"file:///m.bsl\",\"version\":3},\"edits\":[{\"range\":{\"start\":{\"line\":1,\"character\":0},"
                    + "\"end\":{\"line\":1,\"character\":1}},\"newText\":\"B\"}]}]}").getAsJsonObject();
            equal(1, WorkspaceEdits.byDocument(edit).size(), "documents");
            equal("{\"applied\":true}", WorkspaceEdits.applyAll(edit, uri -> document).toString(), "result");
            equal("a\nB\n", document.get(), "text");
            JsonObject create = JsonParser.parseString("{\"documentChanges\":[{\"kind\":\"create\",\"uri\":\"file:///n.bsl\"}]}")
                    .getAsJsonObject();
            JsonObject refused = WorkspaceEdits.applyAll(create, uri -> document);
            equal(false, refused.get("applied").getAsBoolean(), "file operations are not applied");
            that(refused.get("failureReason").getAsString().contains("create"), "the reason names the operation");
        });
        check.test("edits: a document that cannot be had changes nothing anywhere", () -> {
            Document first = new Document("x");
            JsonObject edit = JsonParser.parseString("{\"changes\":{\"file:///a\":[{\"range\":{\"start\":{\"line\":0,"
                    + "\"character\":0},\"end\":{\"line\":0,\"character\":0}},\"newText\":\"1\"}],\"file:///b\":[]}}")
                    .getAsJsonObject();
            JsonObject result = WorkspaceEdits.applyAll(edit, Map.of("file:///a", (IDocument) first)::get);
            equal(false, result.get("applied").getAsBoolean(), "applied");
            equal("x", first.get(), "the other document is untouched");
        });
    }
}
