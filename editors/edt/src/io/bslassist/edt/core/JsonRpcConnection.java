package io.bslassist.edt.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * JSON-RPC 2.0 over a pair of streams with LSP's {@code Content-Length} framing.
 *
 * <p>One thread reads; writes go through one writer thread so callers (the UI thread among
 * them) never block on the pipe and messages keep their order. Notifications from the server
 * are handed to the handler in order on their own thread; requests from the server run on a
 * pool, because answering one may need the UI thread while that thread waits for a response
 * of ours (a command whose edit arrives as {@code workspace/applyEdit} before its result).
 */
public final class JsonRpcConnection implements AutoCloseable {
    /** JSON-RPC's code for a method the receiver does not know. */
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INTERNAL_ERROR = -32603;

    /** What the server sends on its own initiative. */
    public interface Handler {
        void notification(String method, JsonElement params);

        /** Answers a server request; runs on a pool thread and may block. */
        JsonElement request(String method, JsonElement params) throws ResponseError;
    }

    /** An error response, from either side. */
    public static final class ResponseError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        public ResponseError(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final InputStream input;
    private final OutputStream output;
    private final Handler handler;
    private final Consumer<String> log;
    private final Map<String, CompletableFuture<JsonElement>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(daemon("bsl-assist writer"));
    private final ExecutorService notifications = Executors.newSingleThreadExecutor(daemon("bsl-assist events"));
    private final ExecutorService requests = Executors.newCachedThreadPool(daemon("bsl-assist server request"));

    public JsonRpcConnection(InputStream input, OutputStream output, Handler handler, Consumer<String> log) {
        this.input = input;
        this.output = output;
        this.handler = handler;
        this.log = log;
    }

    /** Starts reading; call once, after the handler is ready. */
    public void start() {
        Thread reader = new Thread(this::readLoop, "bsl-assist reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Completes when the connection is closed or the other side went away. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Sends a request; the future fails with {@link ResponseError} on an error response. */
    public CompletableFuture<JsonElement> request(String method, JsonElement params) {
        String id = Integer.toString(nextId.getAndIncrement());
        CompletableFuture<JsonElement> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new IOException("the bsl-assist server connection is closed"));
            return result;
        }
        pending.put(id, result);
        JsonObject message = envelope();
        message.addProperty("id", Integer.parseInt(id));
        message.addProperty("method", method);
        if (params != null) {
            message.add("params", params);
        }
        send(message);
        return result;
    }

    public void notify(String method, JsonElement params) {
        JsonObject message = envelope();
        message.addProperty("method", method);
        if (params != null) {
            message.add("params", params);
        }
        send(message);
    }

    @Override
    public void close() {
        shutdown(new IOException("the bsl-assist server connection is closed"));
    }

    private static JsonObject envelope() {
        JsonObject message = new JsonObject();
        message.addProperty("jsonrpc", "2.0");
        return message;
    }

    private void send(JsonObject message) {
        if (closed.get()) {
            return;
        }
        byte[] body = GSON.toJson(message).getBytes(StandardCharsets.UTF_8);
        byte[] header = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            writer.execute(() -> {
                try {
                    output.write(header);
                    output.write(body);
                    output.flush();
                } catch (IOException e) {
                    shutdown(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed meanwhile: the message has nowhere to go.
        }
    }

    private void readLoop() {
        try {
            while (!closed.get()) {
                JsonElement message = JsonParser.parseString(readMessage());
                if (message.isJsonObject()) {
                    dispatch(message.getAsJsonObject());
                } else {
                    log.accept("bsl-assist: ignored a JSON-RPC message that is not an object");
                }
            }
        } catch (IOException | RuntimeException e) {
            shutdown(e);
        }
    }

    /** One framed message's body; headers other than Content-Length are ignored. */
    private String readMessage() throws IOException {
        int length = -1;
        while (true) {
            String line = readHeaderLine();
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        if (length < 0) {
            throw new IOException("bsl-assist: a JSON-RPC message without Content-Length");
        }
        byte[] body = input.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("bsl-assist: the server closed its output mid-message");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private String readHeaderLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = input.read();
            if (b < 0) {
                throw new EOFException("bsl-assist: the server closed its output");
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private void dispatch(JsonObject message) {
        JsonElement id = message.get("id");
        JsonElement method = message.get("method");
        JsonElement params = message.has("params") ? message.get("params") : JsonNull.INSTANCE;
        if (method != null && id != null) {
            requests.execute(() -> answer(id, method.getAsString(), params));
        } else if (method != null) {
            notifications.execute(() -> {
                try {
                    handler.notification(method.getAsString(), params);
                } catch (RuntimeException e) {
                    log.accept("bsl-assist: handling " + method.getAsString() + " failed: " + e);
                }
            });
        } else if (id != null) {
            CompletableFuture<JsonElement> future = pending.remove(id.getAsString());
            if (future == null) {
                return;
            }
            JsonElement error = message.get("error");
            if (error != null && error.isJsonObject()) {
                JsonObject e = error.getAsJsonObject();
                int code = e.has("code") ? e.get("code").getAsInt() : INTERNAL_ERROR;
                String text = e.has("message") ? e.get("message").getAsString() : "error " + code;
                future.completeExceptionally(new ResponseError(code, text));
            } else {
                future.complete(message.has("result") ? message.get("result") : JsonNull.INSTANCE);
            }
        }
    }

    private void answer(JsonElement id, String method, JsonElement params) {
        JsonObject response = envelope();
        response.add("id", id);
        try {
            JsonElement result = handler.request(method, params);
            response.add("result", result == null ? JsonNull.INSTANCE : result);
        } catch (ResponseError e) {
            response.add("error", error(e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            response.add("error", error(INTERNAL_ERROR, method + ": " + e));
        }
        send(response);
    }

    private static JsonObject error(int code, String message) {
        JsonObject error = new JsonObject();
        error.add("code", new JsonPrimitive(code));
        error.addProperty("message", message == null ? "" : message);
        return error;
    }

    private void shutdown(Exception cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (CompletableFuture<JsonElement> future : pending.values()) {
            future.completeExceptionally(cause);
        }
        pending.clear();
        // Let queued writes (an `exit` notification) go out before the streams close.
        writer.shutdown();
        notifications.shutdown();
        requests.shutdown();
        terminated.complete(null);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
