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

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One whole HTTP request (its body read in full) and its one answer, as {@link HttpTransport} hands it to a handler.
 * Answering is safe from any thread: the bytes go out on the connection's I/O thread. A handler answers exactly once:
 * {@link #send} a whole answer, or {@link #startChunks} one written over time (server-sent events).
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
    private volatile Runnable onWritable;

    /**
     * @param writeLimit how long the end of a chunked answer may wait for a client that does not read before the connection
     *                   is cut
     * @param answered   called on the I/O thread once the answer is written (the connection takes its next request then)
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

    /** Sets a header of the answer; before {@link #send} or {@link #startChunks}. */
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
     * Starts an answer whose body is written over time ({@code Transfer-Encoding: chunked}) with {@link #writeChunk} and
     * ended with {@link #endChunks}. Nothing here waits: a writer that must not outrun a slow client checks
     * {@link #writable} and resumes from {@link #onWritable}.
     */
    void startChunks(int status, String contentType) {
        start();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(responseHeaders).set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setTransferEncodingChunked(response, true);
        HttpUtil.setKeepAlive(response, keepAlive);
        channel.writeAndFlush(response);
    }

    /** Queues a part of a chunked answer for the connection (does not wait for it to be written). */
    void writeChunk(byte[] bytes) {
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
    }

    /**
     * Ends a chunked answer. If the client has not taken all of it within {@code writeLimit}, the connection is closed
     * (a client that reads nothing must not hold it for ever).
     */
    void endChunks() {
        ChannelFuture last = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        finish(last);
        try {
            schedule(() -> {
                if (!last.isDone()) channel.close();
            }, writeLimit);
        } catch (RejectedExecutionException e) {
            channel.close(); // the transport is stopping: every connection closes anyway
        }
    }

    /** Whether the connection takes more now (its queue of unwritten bytes is under Netty's high-water mark). */
    boolean writable() {
        return channel.isWritable();
    }

    /** Runs {@code action} on the I/O thread each time the connection becomes writable again. */
    void onWritable(Runnable action) {
        onWritable = action;
    }

    /** Runs {@code action} on the I/O thread once the connection is closed (by either side). */
    void onClosed(Runnable action) {
        channel.closeFuture().addListener(f -> action.run());
    }

    /** Runs {@code action} on the I/O thread after {@code delay}. */
    ScheduledFuture<?> schedule(Runnable action, Duration delay) {
        return channel.eventLoop().schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The connection became writable again (called by the transport, on the I/O thread). */
    void writabilityChanged() {
        Runnable action = onWritable;
        if (action != null && channel.isWritable()) action.run();
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
}
