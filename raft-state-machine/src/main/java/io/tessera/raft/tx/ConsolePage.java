package io.tessera.raft.tx;

import java.util.List;

/**
 * One page of a console query: the page's items, the total number of matches, and how many records
 * (transactions or locks) the query read to answer - what the indexes are for (tests and benchmarks
 * check it stays near the page size).
 */
public record ConsolePage<T>(List<T> items, long total, long recordsRead) {
}
