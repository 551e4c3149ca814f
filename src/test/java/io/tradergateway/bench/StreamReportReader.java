package io.tradergateway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reads exec-reports as the gateway pushes them: {@code GET /v1/exec-reports/stream} (server-sent events) on a raw
 * socket, the chunked answer de-chunked by hand, each {@code data:} line handed to a {@link ReportReader.Sink} with
 * the time it arrived. A stream the server ends (it does after its lifetime) is opened again with
 * {@code Last-Event-ID}, so nothing is missed; so is one the server cut off mid-answer (as an EventSource would), at
 * most {@link #MAX_CUTS} times with a growing pause, counted in {@link #cuts()}. One thread; no polling.
 */
final class StreamReportReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_CUTS = 20;

    private final int port;
    private final String token;
    private final ReportReader.Sink sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Socket socket;
    private volatile Exception failure;
    private long lastId;
    private volatile int cuts;

    StreamReportReader(int port, String token, long startAfter, ReportReader.Sink sink) {
        this.port = port;
        this.token = token;
        this.sink = sink;
        this.lastId = startAfter;
        this.thread = new Thread(this::run, "bench-stream-reader");
        thread.setDaemon(true);
    }

    StreamReportReader start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket = s;
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                out.write(("GET /v1/exec-reports/stream?after=" + lastId + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + token + "\r\nLast-Event-ID: " + lastId + "\r\n"
                        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            } catch (StreamCut e) {
                if (++cuts > MAX_CUTS && running) {
                    failure = new IOException("the report stream was cut off " + cuts + " times", e);
                    return;
                }
                backOff();
            } catch (IOException | RuntimeException e) {
                if (running) failure = e;
                return;
            }
        }
    }

    /** The server closed the connection in the middle of a stream's answer (after its 200). */
    private static final class StreamCut extends IOException {
        StreamCut(IOException cause) {
            super("report stream cut off", cause);
        }
    }

    /** Before opening a cut stream again: 10 ms, doubling with each cut, at most 1 s. */
    private void backOff() {
        try {
            Thread.sleep(Math.min(1_000L, 10L << Math.min(cuts - 1, 7)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Streams cut off by the server mid-answer and opened again. */
    int cuts() {
        return cuts;
    }

    private void readStream(InputStream in) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 200")) throw new IOException("stream refused: " + status);
        try {
            readEvents(in);
        } catch (StreamCut e) {
            throw e;
        } catch (IOException e) {
            if (!running) throw e;
            throw new StreamCut(e);
        }
    }

    private void readEvents(InputStream in) throws IOException {
        while (!line(in).isEmpty()) {
            // headers: the answer is chunked (Transfer-Encoding: chunked)
        }
        StringBuilder pending = new StringBuilder();
        while (running) {
            int size = Integer.parseInt(line(in).trim(), 16);
            if (size == 0) return;
            byte[] chunk = in.readNBytes(size);
            line(in);
            long at = System.nanoTime();
            pending.append(new String(chunk, StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                event(pending.substring(0, end), at);
                pending.delete(0, end + 2);
            }
        }
    }

    private void event(String event, long at) throws IOException {
        String data = null;
        for (String field : event.split("\n")) {
            if (field.startsWith("id: ")) lastId = Long.parseLong(field.substring(4));
            else if (field.startsWith("data: ")) data = field.substring(6);
        }
        if (data != null) sink.accept(JSON.readTree(data), at);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("stream closed");
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    void throwIfFailed() throws Exception {
        if (failure != null) throw failure;
    }

    @Override
    public void close() throws Exception {
        running = false;
        Socket s = socket;
        if (s != null) s.close();
        thread.join(5_000);
    }
}
