/**
 * Every module's control tests, registered on import. A module that adds tests adds its
 * `<area>.tests.ts` here.
 */
import "../policies/policies.tests.ts";
import "../reporting/reporting.tests.ts";
import "../trust-center/trust-center.tests.ts";
