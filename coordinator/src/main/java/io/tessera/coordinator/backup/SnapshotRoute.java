package io.tessera.coordinator.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.tessera.coordinator.control.Caller;
import io.tessera.coordinator.control.ControlRoute;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/backup} (admin role: the archive holds every transaction and the token key): takes a snapshot now on the leader and answers with the archive as
 * the body (application/zip, Content-Length, zero-copy file region). A follower answers 409 so the
 * client can go to the leader. The work runs on the backup thread; the event loop only writes.
 */
public final class SnapshotRoute implements ControlRoute {
    public static final String PATH = "/admin/v1/backup";
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRoute.class);

    private final BackupService service;
    private final ObjectMapper mapper = new ObjectMapper();

    public SnapshotRoute(BackupService service) {
        this.service = service;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        if (!service.isLeader()) {
            error(ctx, HttpResponseStatus.CONFLICT, "not the leader; send the backup request to the leader");
            return;
        }
        LOG.info("backup requested by {}", caller.describe());
        service.backupNow().whenComplete((archive, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                LOG.warn("backup failed: {}", cause.toString());
                error(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "backup failed: " + cause.getMessage());
            } else {
                send(ctx, archive);
            }
        }));
    }

    private void send(ChannelHandlerContext ctx, Path archive) {
        RandomAccessFile file;
        long length;
        try {
            file = new RandomAccessFile(archive.toFile(), "r");
            length = file.length();
        } catch (IOException e) {
            error(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "backup archive unreadable: " + e.getMessage());
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/zip");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        // One archive per connection: closing afterwards keeps the file-region bookkeeping simple.
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.write(response);
        ctx.write(new DefaultFileRegion(file.getChannel(), 0, length));
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
            try {
                file.close();
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                LOG.warn("cannot remove sent backup {}: {}", archive, e.toString());
            }
            if (!f.isSuccess()) {
                LOG.warn("backup transfer to {} failed: {}", ctx.channel().remoteAddress(), f.cause().toString());
            }
            ctx.close();
        });
    }

    private void error(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("message", message);
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
