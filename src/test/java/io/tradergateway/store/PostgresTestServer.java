package io.tradergateway.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, started by the test JVM itself: once per JVM, lazily, on a free loopback
 * port, stopped by a shutdown hook. The binaries are PostgreSQL's own, from the {@code io.zonky.test.postgres}
 * artifacts on Maven Central (unpacked once into the temp folder); nothing is installed on the machine.
 * <p>
 * {@code initdb} and {@code postgres} refuse to run as root, and CI runs as root: then both are run as the
 * unprivileged uid 65534 ({@code nobody}) through util-linux's {@code setpriv}, with a data folder owned by that uid.
 * Run as anyone else, they run as that user. The server is a throwaway: trust authentication on 127.0.0.1 only, no
 * Unix socket, no fsync.
 * <p>
 * A test JVM killed with SIGKILL cannot stop its server; the next start finds its data folder unlocked and stops it.
 */
public final class PostgresTestServer {
    private static final Logger log = LoggerFactory.getLogger(PostgresTestServer.class);

    /** Uid (and gid) that runs PostgreSQL when the tests run as root: {@code nobody} on Debian and most others. */
    static final int UNPRIVILEGED_ID = 65534;
    private static final String SUPERUSER = "postgres";

    private static PostgresTestServer shared;

    private final Path binDir;
    private final Path dataDir;
    private final boolean asRoot;
    private final int port;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private PostgresTestServer(Path binDir, Path dataDir, boolean asRoot, int port, FileChannel lockChannel, FileLock lock) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.asRoot = asRoot;
        this.port = port;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The JVM's server, started on first use. */
    public static synchronized PostgresTestServer shared() {
        if (shared == null) {
            PostgresTestServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-test-server-stop"));
            shared = server;
        }
        return shared;
    }

    /** JDBC URL of database {@code postgres}, connecting as its superuser (no password). */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return SUPERUSER;
    }

    public String password() {
        return "";
    }

    /** A new, empty database of its own (for a gateway, whose tables live in the default schema). */
    public String createDatabase() {
        String name = "gw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute("CREATE DATABASE " + name);
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** Drops a database made by {@link #createDatabase()}, closing what is still connected to it. */
    public void dropDatabase(String jdbcUrl) {
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** Runs one statement as the superuser, in database {@code postgres}. */
    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url(), user(), password()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on the test PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static PostgresTestServer start() {
        long began = System.nanoTime();
        boolean asRoot = "root".equals(System.getProperty("user.name")) || uid() == 0;
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "trader-gateway-pg-" + System.getProperty("user.name"));
        try {
            Files.createDirectories(base);
            // The unprivileged uid must reach the binaries and its data folder.
            if (asRoot) Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            stopOrphans(base, asRoot);
            Path binDir = unpackBinaries(base);
            String id = UUID.randomUUID().toString().substring(0, 8);
            Path dataDir = base.resolve("data-" + id);
            FileChannel lockChannel = FileChannel.open(base.resolve("data-" + id + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lockChannel.lock();
            Files.createDirectory(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (asRoot) {
                Files.setAttribute(dataDir, "unix:uid", UNPRIVILEGED_ID);
                Files.setAttribute(dataDir, "unix:gid", UNPRIVILEGED_ID);
            }
            run(binDir, asRoot, base, List.of("initdb", "-A", "trust", "-U", SUPERUSER, "-D", dataDir.toString(),
                    "-E", "UTF8", "--locale=C", "-N"));
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= 3; attempt++) {
                int port = freePort();
                try {
                    run(binDir, asRoot, base, List.of("pg_ctl", "-D", dataDir.toString(), "-w", "-t", "60",
                            "-l", dataDir.resolve("server.log").toString(),
                            "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                            "start"));
                    PostgresTestServer server = new PostgresTestServer(binDir, dataDir, asRoot, port, lockChannel, lock);
                    log.info("test PostgreSQL started on port {} in {} ms ({}{})", port,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), dataDir,
                            asRoot ? ", as uid " + UNPRIVILEGED_ID + " because the tests run as root" : "");
                    return server;
                } catch (IllegalStateException e) {
                    last = e; // most likely the port was taken between picking and binding: another one
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test PostgreSQL under " + base, e);
        }
    }

    /** Stops the server and deletes its data folder. */
    public void stop() {
        try {
            run(binDir, asRoot, dataDir.getParent(), List.of("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30", "stop"));
        } catch (RuntimeException e) {
            log.warn("stopping the test PostgreSQL: {}", e.getMessage());
        }
        deleteQuietly(dataDir);
        try {
            lock.release();
            lockChannel.close();
            Files.deleteIfExists(dataDir.resolveSibling(dataDir.getFileName() + ".lock"));
        } catch (IOException e) {
            log.debug("releasing the test PostgreSQL lock: {}", e.getMessage());
        }
    }

    /** Servers of test JVMs that died without stopping theirs: their lock is free. */
    private static void stopOrphans(Path base, boolean asRoot) throws IOException {
        List<Path> locks;
        try (Stream<Path> files = Files.list(base)) {
            locks = files.filter(p -> p.getFileName().toString().matches("data-[0-9a-f]{8}\\.lock")).toList();
        }
        Path binDir = null;
        for (Path lockFile : locks) {
            String name = lockFile.getFileName().toString();
            Path data = base.resolve(name.substring(0, name.length() - ".lock".length()));
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock held = ch.tryLock()) {
                if (held == null) continue; // a live test JVM's
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    if (binDir == null) binDir = unpackBinaries(base);
                    try {
                        run(binDir, asRoot, base, List.of("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop"));
                        log.info("stopped the test PostgreSQL a dead test JVM left running in {}", data);
                    } catch (RuntimeException e) {
                        log.debug("orphan {}: {}", data, e.getMessage());
                    }
                }
                deleteQuietly(data);
                Files.deleteIfExists(lockFile);
            } catch (IOException | RuntimeException e) {
                log.debug("orphan check of {}: {}", lockFile, e.getMessage());
            }
        }
    }

    /** Unpacks the binaries once per archive (by digest); concurrent JVMs each unpack to a temp folder, one wins the rename. */
    private static Path unpackBinaries(Path base) throws IOException {
        String arch = System.getProperty("os.arch");
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "amd64".equals(arch) ? "x86_64" : arch)) {
            archive = in.readAllBytes();
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path target = base.resolve("bin-" + digest);
        if (Files.isExecutable(target.resolve("bin").resolve("postgres"))) return target;
        Path temp = Files.createTempDirectory(base, "unpacking-");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path to = temp.resolve(entry.getName()).normalize();
                if (!to.startsWith(temp)) throw new IOException("archive entry outside its folder: " + entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(to);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(to.getParent());
                    Files.createSymbolicLink(to, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(to.getParent());
                    Files.createLink(to, temp.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(to, readableByAll((entry.getMode() & 0111) != 0 || entry.getName().contains("bin/")));
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(temp)) {
            for (Path d : dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.setPosixFilePermissions(d, readableByAll(true));
            }
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | DirectoryNotEmptyException e) {
            deleteQuietly(temp); // another JVM unpacked the same archive first
        }
        return target;
    }

    private static Set<PosixFilePermission> readableByAll(boolean executable) {
        return PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--");
    }

    /** Runs a PostgreSQL program to its end; as root, as the unprivileged uid. Its output goes into the failure. */
    private static void run(Path binDir, boolean asRoot, Path workDir, List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID, "--clear-groups", "--"));
        }
        full.add(binDir.resolve("bin").resolve(command.get(0)).toString());
        full.addAll(command.subList(1, command.size()));
        ProcessBuilder pb = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("LD_LIBRARY_PATH", binDir.resolve("lib").toString());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // pg_ctl start leaves the server holding its own output (the log file), so reading to the end terminates.
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " exited " + p.exitValue() + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", full) + ": " + e.getMessage()
                    + (asRoot ? " (as root, PostgreSQL is run through util-linux's setpriv)" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + full.get(0), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("deleting {}: {}", dir, e.getMessage());
        }
    }
}
