package io.tessera.codec.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The real io.seata PROTOBUF serializer of one release (seata-all and seata-serializer-protobuf of that
 * version, copied by the build into {@code <dir>/<version>/}), driven through reflection in a class
 * loader of its own: our test classpath also holds seata-all 2.5.0, whose io.seata.* compatibility
 * classes would otherwise shadow the release's. protobuf-java and slf4j come from our classpath.
 */
public final class IoSeataProtobufSerializer {
    private final String version;
    private final Object serializer;
    private final Method serialize;
    private final Method deserialize;

    public IoSeataProtobufSerializer(Path dir, String version) {
        this.version = version;
        try {
            ClassLoader loader = new IoSeataFirst(jars(dir.resolve(version)), getClass().getClassLoader());
            Class<?> type = Class.forName("io.seata.serializer.protobuf.ProtobufSerializer", true, loader);
            serializer = type.getConstructor().newInstance();
            serialize = type.getMethod("serialize", Object.class);
            deserialize = type.getMethod("deserialize", byte[].class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("io.seata " + version + " protobuf serializer: " + e, e);
        }
    }

    public String version() {
        return version;
    }

    /** The release's own message object (io.seata.core.protocol.*) for a body: what its client would get. */
    public Object deserialize(byte[] body) {
        return call(deserialize, body);
    }

    public byte[] serialize(Object message) {
        return (byte[]) call(serialize, message);
    }

    private Object call(Method method, Object arg) {
        try {
            return method.invoke(serializer, arg);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL[] jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            URL[] urls = files.filter(p -> p.toString().endsWith(".jar")).map(IoSeataProtobufSerializer::url)
                    .toArray(URL[]::new);
            if (urls.length < 2) {
                throw new IllegalStateException("expected seata-all and seata-serializer-protobuf in " + dir
                        + " (copied by the build's io-seata-protobuf-oracle execution)");
            }
            return urls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Child-first for io.seata.*, parent-first for everything else (protobuf-java, slf4j, the JDK). */
    private static final class IoSeataFirst extends URLClassLoader {
        IoSeataFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.seata.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
