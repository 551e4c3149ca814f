package io.tradergateway.intake;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * An HTTP/1.1 server on Netty, kept apart from what the API answers (the I/O here, the meaning in {@link ApiServer} and
 * {@link StandbyApi}). One I/O thread accepts, reads and writes every connection without blocking; a connection costs no
 * thread while it waits, so idle or stalled clients starve nobody. Each whole request (body read in full, up to the size
 * given) is handed to the handler <em>on the I/O thread</em>: a handler that may block passes the exchange to threads of
 * its own. A connection's requests are answered in order, one at a time (a pipelined request waits for the answer before
 * it, and the connection is not read further meanwhile; one with more than 128 requests outstanding is closed, as Netty's
 * codec does). A connection that says nothing for the request time-out while no answer is pending is closed, and so is one that
 * has sent half a request.
 */
final class HttpTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);

    private final EventLoopGroup io;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;
    private final int maxBody;
    private final byte[] tooLarge;
    private final Duration requestTimeout;
    private final Duration writeLimit;
    private final Consumer<ApiExchange> handler;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param maxBody        the largest request body read; a longer one is answered 413 with {@code tooLarge} (a problem
     *                       JSON) and its connection closed
     * @param requestTimeout how long a connection may be silent (or half way through a request) with no answer pending
     * @param writeLimit     how long the end of a chunked answer may wait for a client that takes nothing
     */
    HttpTransport(String bind, int port, String threadName, int maxBody, byte[] tooLarge, Duration requestTimeout,
                  Duration writeLimit, Consumer<ApiExchange> handler) {
        this.maxBody = maxBody;
        this.tooLarge = tooLarge;
        this.requestTimeout = requestTimeout;
        this.writeLimit = writeLimit;
        this.handler = handler;
        this.io = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(io).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                // Connections wait in the kernel's backlog until start().
                .option(ChannelOption.AUTO_READ, false)
                // Without TCP_NODELAY an answer's last segment can wait ~40 ms for the client's delayed ACK (BENCHMARKS.md).
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new Aggregator(),
                                new IdleStateHandler(requestTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS), new Connection());
                    }
                });
        try {
            this.listener = bootstrap.bind(new InetSocketAddress(bind, port)).syncUninterruptibly().channel();
        } catch (Exception e) { // a BindException, rethrown as it is although it is checked
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on HTTP port " + port + " of " + bind + ": " + e.getMessage(), e);
        }
    }

    /** Starts accepting connections (they wait in the backlog until then). */
    void start() {
        listener.config().setAutoRead(true);
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    String host() {
        return ((InetSocketAddress) listener.localAddress()).getHostString();
    }

    /** Stops listening, closes every connection (open report streams end with theirs) and ends the I/O thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        listener.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Answers from the transport itself (the request never reaches the handler), then closes the connection. */
    private static void answerAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** Reads whole requests; one too large is answered 413 (the problem given) and its connection closed. */
    private final class Aggregator extends HttpObjectAggregator {
        Aggregator() {
            super(maxBody, true);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            answerAndClose(ctx, HttpResponseStatus.valueOf(413), tooLarge, "application/problem+json");
        }
    }

    /** One connection: its requests in order, one answered at a time. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<ApiExchange> waiting = new ArrayDeque<>();
        /** The exchange being answered; null while the connection waits for a request. */
        private ApiExchange current;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ctx.fireChannelRead(msg);
                return;
            }
            ApiExchange exchange;
            try {
                exchange = exchange(ctx, request);
            } finally {
                request.release();
            }
            if (exchange == null) return;
            if (current != null) {
                // A pipelined request: it waits for the answer before it, and the connection reads no more until then.
                waiting.add(exchange);
                ctx.channel().config().setAutoRead(false);
                return;
            }
            start(ctx, exchange);
        }

        /** The exchange of a whole request, or null when it is not HTTP (answered 400 here, connection closed). */
        private ApiExchange exchange(ChannelHandlerContext ctx, FullHttpRequest request) {
            URI uri = null;
            if (request.decoderResult().isSuccess()) {
                try {
                    uri = new URI(request.uri());
                } catch (URISyntaxException e) {
                    // answered 400 below
                }
            }
            if (uri == null || uri.getRawPath() == null) {
                answerAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request\n".getBytes(US_ASCII), "text/plain");
                return null;
            }
            Channel channel = ctx.channel();
            return new ApiExchange(channel, request.method().name(), uri, request.headers().copy(),
                    // A write's listeners run on the connection's I/O thread: answered() is called there.
                    ByteBufUtil.getBytes(request.content()), HttpUtil.isKeepAlive(request), writeLimit, () -> answered(ctx));
        }

        private void start(ChannelHandlerContext ctx, ApiExchange exchange) {
            current = exchange;
            try {
                handler.accept(exchange);
            } catch (RuntimeException e) {
                log.error("HTTP {} {} failed", exchange.method(), exchange.uri(), e);
                exchange.abort();
            }
        }

        private void answered(ChannelHandlerContext ctx) {
            current = null;
            ApiExchange next = waiting.poll();
            if (next != null) {
                start(ctx, next);
                return;
            }
            if (!ctx.channel().config().isAutoRead()) ctx.channel().config().setAutoRead(true);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (current != null) current.writabilityChanged();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent && current == null) {
                log.debug("HTTP connection {} silent for {} ms with nothing pending: closed", ctx.channel().remoteAddress(),
                        requestTimeout.toMillis());
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            log.debug("HTTP connection {} closed{}", ctx.channel().remoteAddress(), current != null ? " before its answer" : "");
            waiting.clear();
            ctx.fireChannelInactive();
        }
    }
}
