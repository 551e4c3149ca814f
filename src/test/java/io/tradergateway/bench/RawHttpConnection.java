package io.tradergateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.report.Json;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The cheapest HTTP/1.1 client there is, for a load generator that must not dominate a 2-core machine: one
 * keep-alive {@link Socket} (TCP_NODELAY), each request written as one buffer (head and body), the answer read as
 * status line, headers and a {@code Content-Length} body. No pipelining: one request at a time, on one thread. The
 * JDK server the gateway runs always answers with a length (never chunked); a chunked answer is refused here.
 */
final class RawHttpConnection implements AutoCloseable {

    /** The status and body of one answer. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final int port;
    private final String authorization;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttpConnection(int port, String token) {
        this.port = port;
        this.authorization = "Authorization: Bearer " + token + "\r\n";
    }

    Response post(String path, String json) {
        return exchange("POST", path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Many plans in one request: one JSON object per line ({@code application/x-ndjson}, SPEC 3). */
    Response postLines(String path, String lines) {
        return exchange("POST", path, lines.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    Response get(String path) {
        return exchange("GET", path, null, null);
    }

    /** A GET whose answer must be 200, as JSON. */
    JsonNode getJson(String path) {
        Response r = get(path);
        if (r.status() != 200) throw new IllegalStateException("GET " + path + ": HTTP " + r.status() + " " + r.text());
        return r.json();
    }

    private Response exchange(String method, String path, byte[] body, String contentType) {
        try {
            if (socket == null) connect();
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n").append(authorization);
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            byte[] request = headBytes;
            if (body != null) {
                request = new byte[headBytes.length + body.length];
                System.arraycopy(headBytes, 0, request, 0, headBytes.length);
                System.arraycopy(body, 0, request, headBytes.length, body.length);
            }
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(method + " " + path + " on 127.0.0.1:" + port, e);
        }
    }

    private void connect() throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        // "HTTP/1.1 202 Accepted"
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = 0;
        boolean close = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "transfer-encoding" -> throw new IOException("chunked answers are not read here: " + value);
                default -> {
                }
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) throw new EOFException("answer cut after " + body.length + " of " + length + " bytes");
        if (close) close();
        return new Response(status, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new EOFException("connection closed by the server");
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            socket = null;
        }
    }
}
