package io.bslassist.edt.tests;

import static io.bslassist.edt.tests.Check.equal;
import static io.bslassist.edt.tests.Check.that;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bslassist.edt.core.JsonRpcConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JSON-RPC client against a scripted peer over pipes. */
final class JsonRpcTest {
    private JsonRpcTest() {
    }

    /** The other end of the pipes, speaking raw framed JSON. */
    private static final class Peer {
        final InputStream fromClient;
        final OutputStream toClient;

        Peer(InputStream fromClient, OutputStream toClient) {
            this.fromClient = fromClient;
            this.toClient = toClient;
        }

        JsonObject read() throws IOException {
            int length = -1;
            while (true) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                for (int b = fromClient.read(); b != '\n'; b = fromClient.read()) {
                    if (b < 0) {
                        throw new IOException("closed");
                    }
                    line.write(b);
                }
                String header = line.toString(StandardCharsets.US_ASCII).trim();
                if (header.isEmpty()) {
                    break;
                }
                if (header.startsWith("Content-Length:")) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            return JsonParser.parseString(new String(fromClient.readNBytes(length), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }

        void write(String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            // An extra header, as some servers send, must be ignored.
            toClient.write(("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            toClient.write(body);
            toClient.flush();
        }
    }

    static void run(Check check) throws IOException {
        PipedInputStream clientIn = new PipedInputStream(1 << 16);
        PipedOutputStream peerOut = new PipedOutputStream(clientIn);
        PipedInputStream peerIn = new PipedInputStream(1 << 16);
        PipedOutputStream clientOut = new PipedOutputStream(peerIn);
        Peer peer = new Peer(peerIn, peerOut);
        BlockingQueue<String> notifications = new LinkedBlockingQueue<>();
        JsonRpcConnection connection = new JsonRpcConnection(clientIn, clientOut, new JsonRpcConnection.Handler() {
            @Override
            public void notification(String method, JsonElement params) {
                notifications.add(method + " " + params);
            }

            @Override
            public JsonElement request(String method, JsonElement params) throws JsonRpcConnection.ResponseError {
                if (method.equals("workspace/applyEdit")) {
                    JsonObject result = new JsonObject();
                    result.addProperty("applied", true);
                    return result;
                }
                throw new JsonRpcConnection.ResponseError(JsonRpcConnection.METHOD_NOT_FOUND, "no " + method);
            }
        }, line -> { });
        connection.start();

        check.test("json-rpc: a request answered after a server request and a notification (UTF-8 lengths)", () -> {
            CompletableFuture<JsonElement> echo = connection.request("test/echo",
                    JsonParser.parseString("{\"text\":\"Привет 😀\"}"));
            JsonObject request = peer.read();
            equal("2.0", request.get("jsonrpc").getAsString(), "jsonrpc");
            equal("test/echo", request.get("method").getAsString(), "method");
            equal("Привет 😀", request.getAsJsonObject("params").get("text").getAsString(), "params survive UTF-8 framing");
            peer.write("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":\"workspace/applyEdit\",\"params\":{\"edit\":{}}}");
            JsonObject answer = peer.read();
            equal("\"s-1\"", answer.get("id").toString(), "a string id is echoed as a string");
            equal("{\"applied\":true}", answer.get("result").toString(), "the handler's result");
            peer.write("{\"jsonrpc\":\"2.0\",\"method\":\"window/logMessage\",\"params\":{\"message\":\"Готово\"}}");
            peer.write("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + request.get("params") + "}");
            equal("{\"text\":\"Привет 😀\"}", echo.get(5, TimeUnit.SECONDS).toString(), "result");
            equal("window/logMessage {\"message\":\"Готово\"}", notifications.poll(5, TimeUnit.SECONDS), "notification");
        });
        check.test("json-rpc: error responses and unknown server requests", () -> {
            CompletableFuture<JsonElement> failing = connection.request("test/fail", null);
            JsonObject request = peer.read();
            that(!request.has("params"), "no params member when there are none");
            peer.write("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id")
                    + ",\"error\":{\"code\":-32601,\"message\":\"unknown command\"}}");
            try {
                failing.get(5, TimeUnit.SECONDS);
                throw new Check.Failure("expected an error");
            } catch (ExecutionException e) {
                that(e.getCause() instanceof JsonRpcConnection.ResponseError, "a ResponseError: " + e.getCause());
                equal(-32601, ((JsonRpcConnection.ResponseError) e.getCause()).code(), "code");
            }
            peer.write("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"workspace/unheardOf\"}");
            JsonObject answer = peer.read();
            equal(7, answer.get("id").getAsInt(), "id");
            equal(JsonRpcConnection.METHOD_NOT_FOUND, answer.getAsJsonObject("error").get("code").getAsInt(), "error code");
            connection.notify("exit", null);
            equal("exit", peer.read().get("method").getAsString(), "notification");
        });
        check.test("json-rpc: the peer going away fails pending requests", () -> {
            CompletableFuture<JsonElement> pending = connection.request("test/never", null);
            peer.read();
            peer.toClient.close();
            connection.terminated().get(5, TimeUnit.SECONDS);
            that(pending.isCompletedExceptionally(), "the pending request failed");
            that(connection.request("test/after", null).isCompletedExceptionally(), "later requests fail at once");
        });
    }
}
