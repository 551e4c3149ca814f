package io.tradergateway.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Bloom filter over strings: "certainly never added" or "perhaps added". It lets the engine answer "is this
 * {@code plan_id} new?" from memory instead of a database lookup for every plan: only a "perhaps" is asked of the
 * tables, so a false positive costs a lookup and never a wrong answer.
 *
 * <p>Fixed size: {@code 2^bits} bits and {@link #HASHES} probes. With 2^24 bits (2 MiB), one in about 900 new keys is a
 * false positive after 1,000,000 keys and one in 14 after 3,000,000; past that the lookups return, the answers stay
 * right. Safe for one or more writers and any number of readers: a key added before a reader's call (happens-before) is
 * seen.
 */
final class KeyFilter {
    static final int HASHES = 5;
    private final AtomicLongArray words;
    private final long mask;

    KeyFilter(int bits) {
        if (bits < 6 || bits > 34) throw new IllegalArgumentException("bits " + bits + " outside 6..34");
        this.words = new AtomicLongArray(1 << (bits - 6));
        this.mask = (1L << bits) - 1;
    }

    void add(String key) {
        long h = hash(key);
        long step = (h >>> 32) | 1;
        for (int i = 0; i < HASHES; i++, h += step) {
            long bit = h & mask;
            int word = (int) (bit >>> 6);
            long m = 1L << bit;
            long old = words.get(word);
            while ((old & m) == 0 && !words.compareAndSet(word, old, old | m)) old = words.get(word);
        }
    }

    boolean mightContain(String key) {
        long h = hash(key);
        long step = (h >>> 32) | 1;
        for (int i = 0; i < HASHES; i++, h += step) {
            long bit = h & mask;
            if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) return false;
        }
        return true;
    }

    /** 64-bit FNV-1a over the UTF-16 units, then a murmur3 finalizer so both halves are well mixed. */
    private static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
