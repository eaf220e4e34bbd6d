package org.brainalign.io.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * JSON values as plain Java: objects are maps (order kept), arrays lists, numbers Long when whole and Double
 * otherwise, and strings, booleans and null as themselves. Non-finite numbers become null, since JSON has no NaN.
 */
final class JsonValues {

    private JsonValues() {
    }

    static JsonElement toJson(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof JsonElement e) {
            return e;
        }
        if (value instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? new JsonPrimitive(d) : JsonNull.INSTANCE;
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof Map<?, ?> m) {
            JsonObject o = new JsonObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                o.add(String.valueOf(e.getKey()), toJson(e.getValue()));
            }
            return o;
        }
        if (value instanceof Iterable<?> it) {
            JsonArray a = new JsonArray();
            for (Object v : it) {
                a.add(toJson(v));
            }
            return a;
        }
        if (value instanceof double[] d) {
            JsonArray a = new JsonArray();
            for (double v : d) {
                a.add(toJson(v));
            }
            return a;
        }
        if (value instanceof int[] d) {
            JsonArray a = new JsonArray();
            for (int v : d) {
                a.add(v);
            }
            return a;
        }
        // enums, paths and other simple values are recorded by their text
        return new JsonPrimitive(value.toString());
    }

    static Object fromJson(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            return toMap(e.getAsJsonObject());
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonElement v : e.getAsJsonArray()) {
                l.add(fromJson(v));
            }
            return l;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53 && !p.getAsString().contains(".")
                    && !p.getAsString().toLowerCase().contains("e")) {
                return p.getAsLong();
            }
            return d;
        }
        return p.getAsString();
    }

    static Map<String, Object> toMap(JsonObject o) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            m.put(e.getKey(), fromJson(e.getValue()));
        }
        return m;
    }
}
