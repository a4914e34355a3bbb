package com.agentcostcontrol.security.core;

import java.util.Arrays;

/** A growable list of ints (candidate positions) without boxing. */
public final class IntList {

    private int[] values = new int[8];
    private int size;

    public void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public int get(int i) {
        return values[i];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    void replaceWith(IntList other) {
        values = Arrays.copyOf(other.values, Math.max(8, other.size));
        size = other.size;
    }

    void clear() {
        size = 0;
    }
}
