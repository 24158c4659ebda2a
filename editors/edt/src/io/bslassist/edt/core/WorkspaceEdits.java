package io.bslassist.edt.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.text.edits.MalformedTreeException;
import org.eclipse.text.edits.MultiTextEdit;
import org.eclipse.text.edits.ReplaceEdit;
import org.eclipse.text.edits.TextEdit;
import org.eclipse.text.edits.UndoEdit;
import org.eclipse.text.undo.DocumentUndoManagerRegistry;
import org.eclipse.text.undo.IDocumentUndoManager;

/**
 * Applies an LSP {@code WorkspaceEdit} to {@link IDocument}s: the editor's own document when
 * the module is open, so the change shows at once and one Undo takes it back.
 *
 * <p>All edits of a document become one {@link MultiTextEdit} (LSP ranges refer to the text
 * before any of them, which is what a text-edit tree expects), applied inside a compound
 * change of the document's undo manager when it has one, as an editor's document does.
 */
public final class WorkspaceEdits {
    /** The text edits of one document. */
    public record DocumentEdits(String uri, List<JsonObject> edits) {
    }

    private WorkspaceEdits() {
    }

    /**
     * The edits grouped by document, in order. {@code documentChanges} wins over
     * {@code changes} when both are present, as the protocol says.
     *
     * @throws IllegalArgumentException on file operations (create, rename, delete), which this
     *         client does not announce and does not apply
     */
    public static List<DocumentEdits> byDocument(JsonObject workspaceEdit) {
        Map<String, List<JsonObject>> grouped = new LinkedHashMap<>();
        JsonElement documentChanges = workspaceEdit.get("documentChanges");
        JsonElement changes = workspaceEdit.get("changes");
        if (documentChanges != null && documentChanges.isJsonArray()) {
            for (JsonElement change : documentChanges.getAsJsonArray()) {
                JsonObject object = change.getAsJsonObject();
                if (object.has("kind")) {
                    throw new IllegalArgumentException(
                            "file operations are not supported (" + object.get("kind").getAsString() + ")");
                }
                String uri = object.getAsJsonObject("textDocument").get("uri").getAsString();
                addAll(grouped.computeIfAbsent(uri, k -> new ArrayList<>()), object.getAsJsonArray("edits"));
            }
        } else if (changes != null && changes.isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : changes.getAsJsonObject().entrySet()) {
                addAll(grouped.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()), entry.getValue().getAsJsonArray());
            }
        }
        List<DocumentEdits> result = new ArrayList<>();
        grouped.forEach((uri, edits) -> result.add(new DocumentEdits(uri, edits)));
        return result;
    }

    private static void addAll(List<JsonObject> into, JsonArray edits) {
        for (JsonElement edit : edits) {
            into.add(edit.getAsJsonObject());
        }
    }

    /**
     * Applies one document's edits as a single undoable change.
     *
     * @return the edit that reverts the change
     */
    public static UndoEdit apply(IDocument document, List<JsonObject> edits)
            throws BadLocationException, MalformedTreeException {
        MultiTextEdit root = new MultiTextEdit();
        for (JsonObject edit : edits) {
            JsonObject range = edit.getAsJsonObject("range");
            int start = offset(document, range.getAsJsonObject("start"));
            int end = Math.max(start, offset(document, range.getAsJsonObject("end")));
            root.addChild(new ReplaceEdit(start, end - start, edit.get("newText").getAsString()));
        }
        IDocumentUndoManager undo = DocumentUndoManagerRegistry.getDocumentUndoManager(document);
        if (undo != null) {
            undo.beginCompoundChange();
        }
        try {
            return root.apply(document, TextEdit.CREATE_UNDO | TextEdit.UPDATE_REGIONS);
        } finally {
            if (undo != null) {
                undo.endCompoundChange();
            }
        }
    }

    /**
     * Applies a whole workspace edit; every document is looked up before any is changed.
     *
     * @param documents the document of a URI, or null when it cannot be had
     * @return the {@code ApplyWorkspaceEditResult}
     */
    public static JsonObject applyAll(JsonObject workspaceEdit, Function<String, IDocument> documents) {
        JsonObject result = new JsonObject();
        try {
            List<DocumentEdits> all = byDocument(workspaceEdit);
            List<IDocument> targets = new ArrayList<>();
            for (DocumentEdits edits : all) {
                IDocument document = documents.apply(edits.uri());
                if (document == null) {
                    throw new IllegalArgumentException("no document for " + edits.uri());
                }
                targets.add(document);
            }
            for (int i = 0; i < all.size(); i++) {
                apply(targets.get(i), all.get(i).edits());
            }
            result.addProperty("applied", true);
        } catch (BadLocationException | RuntimeException e) {
            result.addProperty("applied", false);
            result.addProperty("failureReason", String.valueOf(e.getMessage()));
        }
        return result;
    }

    /** A position's offset, clamped to the line's end and the document's end. */
    static int offset(IDocument document, JsonObject position) throws BadLocationException {
        int line = position.get("line").getAsInt();
        int character = Math.max(0, position.get("character").getAsInt());
        if (line >= document.getNumberOfLines()) {
            return document.getLength();
        }
        IRegion info = document.getLineInformation(Math.max(line, 0));
        return info.getOffset() + Math.min(character, info.getLength());
    }
}
