package io.tradergateway.intake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/** A plain {@link HttpURLConnection} reading {@code GET /v1/exec-reports/stream}: events, comments, and the end. */
public final class SseClient implements AutoCloseable {
    /** One server-sent event: its {@code id:} and its {@code data:} line. */
    public record Event(long id, String data) {
    }

    private final HttpURLConnection conn;
    private final BufferedReader in;
    private final List<String> comments = new ArrayList<>();

    private SseClient(HttpURLConnection conn, BufferedReader in) {
        this.conn = conn;
        this.in = in;
    }

    /** Opens a stream; {@code lastEventId} null sends no {@code Last-Event-ID}. Reads wait at most 20 s. */
    public static SseClient open(URI uri, String token, String lastEventId) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection();
        conn.setConnectTimeout(5_000);
        conn.setReadTimeout(20_000);
        if (token != null) conn.setRequestProperty("Authorization", "Bearer " + token);
        if (lastEventId != null) conn.setRequestProperty("Last-Event-ID", lastEventId);
        conn.setRequestProperty("Accept", "text/event-stream");
        InputStream body = conn.getResponseCode() < 400 ? conn.getInputStream() : conn.getErrorStream();
        return new SseClient(conn, new BufferedReader(new InputStreamReader(body, UTF_8)));
    }

    public int status() throws IOException {
        return conn.getResponseCode();
    }

    public String header(String name) {
        return conn.getHeaderField(name);
    }

    /** The whole answer of a refused stream (a problem+json body). */
    public String body() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) out.append(line).append('\n');
        return out.toString();
    }

    /** The next event (comments and {@code retry:} lines are kept aside), or null once the stream has ended. */
    public Event next() throws IOException {
        Long id = null;
        String data = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (data != null) return new Event(id == null ? -1 : id, data);
                continue;
            }
            if (line.startsWith(":")) comments.add(line);
            else if (line.startsWith("id: ")) id = Long.parseLong(line.substring(4));
            else if (line.startsWith("data: ")) data = line.substring(6);
        }
        return null;
    }

    /** The comment lines read so far ({@code : keep-alive}). */
    public List<String> comments() {
        return List.copyOf(comments);
    }

    @Override
    public void close() {
        conn.disconnect();
    }
}
