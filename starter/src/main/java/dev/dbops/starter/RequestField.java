package dev.dbops.starter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The request field (JSON path, e.g. {@code skipPolicy.allowedErrnos}) a procedure flag fills.
 * Every option of a {@link ProcedureFlags} mixin carries one, so that messages about the request
 * name the flag a person typed ({@link FlagNames}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface RequestField {
  String value();
}
