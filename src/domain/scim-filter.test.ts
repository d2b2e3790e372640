import { describe, expect, it } from "vitest";
import { type Filter, parseFilter, parsePatchPath, ScimFilterError } from "./scim-filter.ts";

const path = (name: string, sub: string | null = null, schema: string | null = null) => ({
  schema,
  name,
  sub,
});

describe("parseFilter", () => {
  it("should parse every example filter of RFC 7644 §3.4.2.2", () => {
    const examples = [
      'userName Eq "john"',
      'Username eq "john"',
      'userName eq "bjensen"',
      'name.familyName co "O\'Malley"',
      'userName sw "J"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
      "title pr",
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      'meta.lastModified ge "2011-05-13T04:42:34Z"',
      'meta.lastModified lt "2011-05-13T04:42:34Z"',
      'meta.lastModified le "2011-05-13T04:42:34Z"',
      'title pr and userType eq "Employee"',
      'title pr or userType eq "Intern"',
      'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      'userType eq "Employee" and (emails.type eq "work")',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ];
    for (const example of examples) expect(() => parseFilter(example), example).not.toThrow();
  });

  it("should hold attribute names and operators case-insensitively", () => {
    expect(parseFilter('UserName EQ "John"')).toEqual({
      kind: "compare",
      path: path("username"),
      op: "eq",
      value: "John",
    });
  });

  it("should keep a schema URN apart from the attribute it qualifies", () => {
    const filter = parseFilter(
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"',
    );
    expect(filter).toMatchObject({
      path: path("manager", "value", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"),
    });
  });

  it("should bind and tighter than or, and honour parentheses and not", () => {
    const filter = parseFilter('a eq "1" or b eq "2" and c eq "3"');
    expect(filter.kind).toBe("or");
    expect((filter as Filter & { right: Filter }).right.kind).toBe("and");
    const grouped = parseFilter('(a eq "1" or b eq "2") and not (c pr)');
    expect(grouped.kind).toBe("and");
    expect((grouped as Filter & { right: Filter }).right.kind).toBe("not");
  });

  it("should read strings with escapes, numbers, booleans and null", () => {
    expect(parseFilter('a eq "say \\"hi\\""')).toMatchObject({ value: 'say "hi"' });
    expect(parseFilter("a gt 10.5")).toMatchObject({ value: 10.5 });
    expect(parseFilter("active eq True")).toMatchObject({ value: true });
    expect(parseFilter("active eq false")).toMatchObject({ value: false });
    expect(parseFilter("manager eq null")).toMatchObject({ value: null });
  });

  it("should parse a value path with its inner filter", () => {
    expect(parseFilter('emails[type eq "work"]')).toEqual({
      kind: "valuePath",
      path: path("emails"),
      filter: { kind: "compare", path: path("type"), op: "eq", value: "work" },
    });
  });

  it('should read a value path\'s sub-attribute compared, as Entra matches on emails[type eq "work"].value', () => {
    expect(parseFilter('emails[type eq "work"].value eq "a@b.c"')).toEqual({
      kind: "valuePath",
      path: path("emails"),
      filter: {
        kind: "and",
        left: { kind: "compare", path: path("type"), op: "eq", value: "work" },
        right: { kind: "compare", path: path("value"), op: "eq", value: "a@b.c" },
      },
    });
  });

  it("should refuse malformed filters with a message saying where", () => {
    const bad = [
      "",
      "userName",
      'userName eqq "x"',
      'userName eq "x',
      'userName eq "x" and',
      '(userName eq "x"',
      'userName eq "x")',
      "userName eq bare",
      'not userName eq "x"',
      'emails[type eq "work"',
      'a.b.c eq "x"',
      '"x" eq userName',
      `${"(".repeat(60)}a pr${")".repeat(60)}`,
      'a eq "x" '.repeat(1000),
    ];
    for (const filter of bad) {
      expect(() => parseFilter(filter), filter).toThrow(ScimFilterError);
    }
    expect(() => parseFilter('userName xx "x"')).toThrow(/unknown operator "xx" at 10/);
  });
});

describe("parsePatchPath", () => {
  it("should parse the paths identity providers send", () => {
    expect(parsePatchPath("active")).toEqual({ path: path("active"), filter: null, sub: null });
    expect(parsePatchPath("name.givenName").path).toEqual(path("name", "givenname"));
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      path: path("emails"),
      filter: { kind: "compare", path: path("type"), op: "eq", value: "work" },
      sub: "value",
    });
    expect(parsePatchPath('members[value eq "2819c223"]')).toMatchObject({
      path: path("members"),
      sub: null,
    });
    expect(
      parsePatchPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department").path,
    ).toEqual(
      path("department", null, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"),
    );
  });

  it("should refuse paths that are not attribute paths", () => {
    for (const bad of ["", "a b", "members[value eq", 'members[value eq "x"]x', "1abc", "x:y"]) {
      expect(() => parsePatchPath(bad), bad).toThrow(ScimFilterError);
    }
  });
});
