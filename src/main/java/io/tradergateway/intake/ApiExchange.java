package io.tradergateway.intake;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One whole HTTP request (its body read in full) and its one answer, as {@link HttpTransport} hands it to a handler.
 * Answering is safe from any thread: the bytes go out on the connection's I/O thread. A handler answers exactly once:
 * {@link #send} a whole answer, or {@link #openStream} one written over time (server-sent events).
 */
final class ApiExchange {
    private final Channel channel;
    private final String method;
    private final URI uri;
    private final HttpHeaders requestHeaders;
    private final byte[] body;
    private final boolean keepAlive;
    private final Duration writeLimit;
    private final Runnable answered;
    private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * @param writeLimit how long a streamed write may wait for a client that does not read before the connection is cut
     * @param answered   called on the I/O thread once the answer is written (the connection reads its next request then)
     */
    ApiExchange(Channel channel, String method, URI uri, HttpHeaders requestHeaders, byte[] body, boolean keepAlive,
                Duration writeLimit, Runnable answered) {
        this.channel = channel;
        this.method = method;
        this.uri = uri;
        this.requestHeaders = requestHeaders;
        this.body = body;
        this.keepAlive = keepAlive;
        this.writeLimit = writeLimit;
        this.answered = answered;
    }

    String method() {
        return method;
    }

    URI uri() {
        return uri;
    }

    /** The first value of a request header, or null. */
    String requestHeader(String name) {
        return requestHeaders.get(name);
    }

    byte[] body() {
        return body;
    }

    /** Runs tasks on this connection's I/O thread (for work that only formats and sends an answer). */
    Executor ioThread() {
        return channel.eventLoop();
    }

    /** Sets a header of the answer; before {@link #send} or {@link #openStream}. */
    void responseHeader(String name, String value) {
        responseHeaders.set(name, value);
    }

    /** Whether an answer has been started. */
    boolean answered() {
        return started.get();
    }

    /** Sends the whole answer. */
    void send(int status, byte[] bytes, String contentType) {
        start();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(responseHeaders).set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        finish(channel.writeAndFlush(response));
    }

    /**
     * Starts an answer whose body is written over time ({@code Transfer-Encoding: chunked}). Each {@code flush} of the
     * stream waits until its bytes are written to the connection, at most the write limit (then the connection is cut and
     * the flush fails, as it does when the client has hung up); {@code close} ends the answer.
     */
    OutputStream openStream(int status, String contentType) {
        start();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(responseHeaders).set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setTransferEncodingChunked(response, true);
        HttpUtil.setKeepAlive(response, keepAlive);
        channel.writeAndFlush(response);
        return new ChunkStream();
    }

    /** Closes the connection without an answer (the client went away, or the answer cannot be written). */
    void abort() {
        started.set(true);
        channel.close();
    }

    private void start() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("the exchange is answered already");
    }

    private void finish(ChannelFuture written) {
        written.addListener(f -> {
            if (!f.isSuccess() || !keepAlive) channel.close();
            else answered.run();
        });
    }

    private final class ChunkStream extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean closed;

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (pending.size() == 0) return;
            byte[] bytes = pending.toByteArray();
            pending.reset();
            awaitWritten(channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes))));
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            flush();
            ChannelFuture last = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            finish(last);
            awaitWritten(last);
        }

        private void awaitWritten(ChannelFuture write) throws IOException {
            boolean done;
            try {
                done = write.await(writeLimit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channel.close();
                throw new IOException("interrupted while writing to the client", e);
            }
            if (!done) {
                channel.close();
                throw new IOException("the client took nothing for " + writeLimit.toSeconds() + " s; connection closed");
            }
            if (!write.isSuccess()) throw new IOException("the client went away: " + write.cause(), write.cause());
        }
    }
}
