package io.tradergateway.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A gateway {@code fix-config} file written by a test: the shipped {@code [default]} block and one {@code [session]}
 * per venue with its own keys (BeginString, the venue settings of SPEC 4.2). Ports are set by the harness.
 */
final class VenueFixConfig {
    private final Map<String, Map<String, String>> sessions = new LinkedHashMap<>();

    /** A venue session; {@code keys} alternate name and value: {@code "RouteOrders", "N", ...}. */
    VenueFixConfig session(String venue, String... keys) {
        Map<String, String> block = new LinkedHashMap<>();
        block.put("TargetCompID", venue);
        block.put("SocketConnectPort", "1"); // replaced by the harness's port override
        for (int i = 0; i + 1 < keys.length; i += 2) block.put(keys[i], keys[i + 1]);
        sessions.put(venue, block);
        return this;
    }

    Path write(Path dir) {
        StringBuilder cfg = new StringBuilder();
        cfg.append("""
                [default]
                ConnectionType=initiator
                BeginString=FIX.4.4
                SenderCompID=GATEWAY
                SocketConnectHost=127.0.0.1
                HeartBtInt=10
                ReconnectInterval=1
                StartTime=00:00:00
                EndTime=00:00:00
                NonStopSession=Y
                UseDataDictionary=Y
                DataDictionary=dictionaries/FIX44.xml
                ValidateUserDefinedFields=N
                ValidateIncomingMessage=Y
                ResetOnLogon=N
                ResetOnLogout=N
                ResetOnDisconnect=N
                PersistMessages=Y
                LogonTimeout=10
                SLF4JLogPrependSessionID=N
                SLF4JLogIncomingMessageCategory=quickfixj.msg.${targetCompID}.in
                SLF4JLogOutgoingMessageCategory=quickfixj.msg.${targetCompID}.out
                SLF4JLogEventCategory=quickfixj.event.${targetCompID}
                SLF4JLogErrorEventCategory=quickfixj.event.${targetCompID}.error
                SLF4JLogHeartbeats=N
                """);
        sessions.values().forEach(block -> {
            cfg.append("\n[session]\n");
            block.forEach((k, v) -> cfg.append(k).append('=').append(v).append('\n'));
        });
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("gateway.cfg");
            Files.writeString(file, cfg);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
