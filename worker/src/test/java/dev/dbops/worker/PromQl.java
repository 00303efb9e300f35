package dev.dbops.worker;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL for a dashboard check: the metric names an expression reads. Label matchers,
 * ranges, grouping labels, strings and Grafana variables are removed first; what is left is
 * functions (a name before '('), keywords, numbers and metric names.
 */
final class PromQl {
  private PromQl() {}

  static final Set<String> FUNCTIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "count",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "quantile",
          "count_values",
          "group",
          "rate",
          "irate",
          "increase",
          "delta",
          "idelta",
          "deriv",
          "histogram_quantile",
          "abs",
          "ceil",
          "floor",
          "round",
          "clamp",
          "clamp_min",
          "clamp_max",
          "label_replace",
          "label_join",
          "vector",
          "scalar",
          "time",
          "timestamp",
          "absent",
          "absent_over_time",
          "sum_over_time",
          "avg_over_time",
          "max_over_time",
          "min_over_time",
          "last_over_time",
          "count_over_time",
          "sort",
          "sort_desc",
          "changes",
          "resets",
          "predict_linear");
  static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan");

  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** Metric names {@code expr} reads; unknown functions are refused so typos do not hide. */
  static Set<String> metricNames(String expr) {
    String s = STRING.matcher(expr).replaceAll(" ");
    s = GRAFANA_VARIABLE.matcher(s).replaceAll(" ");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = NAME.matcher(s);
    while (m.find()) {
      String token = m.group();
      if (m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1))) continue; // 1e3, 0.95
      if (KEYWORDS.contains(token)) continue;
      if (s.substring(m.end()).stripLeading().startsWith("(")) {
        if (!FUNCTIONS.contains(token)) {
          throw new IllegalArgumentException("unknown PromQL function '" + token + "' in: " + expr);
        }
        continue;
      }
      names.add(token);
    }
    return names;
  }
}
