package io.tessera.codec.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames of {@code seata-vectors.txt} (copied from shared/docs into test resources), by id:
 * "V8" → its hex; vectors with several frames (C-section requests and replies) list them in file
 * order.
 */
public final class SeataVectors {
    private final Map<String, List<byte[]>> frames = new LinkedHashMap<>();

    private SeataVectors() {
    }

    public static SeataVectors load() {
        SeataVectors v = new SeataVectors();
        try (InputStream in = SeataVectors.class.getResourceAsStream("/seata-vectors.txt")) {
            if (in == null) {
                throw new IllegalStateException("seata-vectors.txt missing from the test classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String id = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("### ")) {
                    id = line.substring(4).split("[: ]", 2)[0];
                    v.frames.put(id, new ArrayList<>());
                } else if (id != null && line.matches("^[a-z ]*hex: [0-9a-f]+$")) {
                    v.frames.get(id).add(HexFormat.of().parseHex(line.substring(line.indexOf(": ") + 2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return v;
    }

    public byte[] frame(String id) {
        return frames(id).get(0);
    }

    public List<byte[]> frames(String id) {
        List<byte[]> f = frames.get(id);
        if (f == null || f.isEmpty()) {
            throw new IllegalArgumentException("no vector " + id);
        }
        return f;
    }

    public Map<String, List<byte[]>> all() {
        return frames;
    }
}
