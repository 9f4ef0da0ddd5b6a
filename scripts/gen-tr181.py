#!/usr/bin/env python3
"""Generates Sources/DataModel/TR181/TR181Data.swift from the Broadband Forum TR-181 XML.

Reads every XML file in the spec directory (default ../shared/spec/tr-181), resolves named
data types, expands components at their mount points, and writes the supported objects
(parameters with types and facets, unique keys, commands, events) as one compact JSON
string literal that DataModel decodes at start-up. `--check` compares instead of writing.
"""
import json, os, re, sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.environ.get("TR181_SPEC_DIR", os.path.join(ROOT, "..", "shared", "spec", "tr-181"))
OUT = os.path.join(ROOT, "Sources", "DataModel", "TR181", "TR181Data.swift")

# Where each component is mounted (base object path). Components whose objects already
# carry full `Device.` names are mounted at "" (their object names are absolute).
MOUNTS = [
    ("DeviceInfo", ""), ("MQTT", ""), ("UnixDomainSockets", ""), ("USPServices", ""),
    ("USPLocalAgent", "Device.LocalAgent."),
    ("IoT_ProxiedDeviceExtensionComponent", "Device.ProxiedDevice.{i}."),
    ("IoT_ObjectComponent", "Device.ProxiedDevice.{i}."),
    ("IoT_NodeComponent", "Device.ProxiedDevice.{i}."),
    ("IoT_ObjectComponent", "Device.ProxiedDevice.{i}.Node.{i}."),
    ("IoT_ObjectComponent", "Device."),
    ("IoT_NodeComponent", "Device."),
    ("IoT_ObjectComponent", "Device.Node.{i}."),
]
# Objects the mounts need but no component defines (the ProxiedDevice table itself is in a
# TR-181 component file that is not shipped; its parameters come from the IoT extension).
SYNTHETIC = {
    "Device.": {"path": "Device.", "isMultiInstance": False, "access": "readOnly"},
    "Device.LocalAgent.": {"path": "Device.LocalAgent.", "isMultiInstance": False, "access": "readOnly"},
    "Device.ProxiedDevice.{i}.": {"path": "Device.ProxiedDevice.{i}.", "isMultiInstance": True, "access": "readOnly",
                                  "uniqueKeys": [["Alias"]], "numberOfEntriesParameter": "ProxiedDeviceNumberOfEntries"},
}
SYNTHETIC_PARAMS = {
    "Device.": [("ProxiedDeviceNumberOfEntries", {"base": "unsignedInt"})],
    "Device.ProxiedDevice.{i}.": [("Alias", {"base": "string", "maxLength": 64})],
}

BASES = {"string", "boolean", "int", "unsignedInt", "long", "unsignedLong", "decimal", "dateTime", "hexBinary", "base64"}

def local(tag):
    return tag.split("}")[-1]

def children(el, name):
    return [c for c in el if local(c.tag) == name]

def child(el, name):
    for c in el:
        if local(c.tag) == name:
            return c
    return None

class Model:
    def __init__(self):
        self.datatypes = {}   # name -> element
        self.components = {} # name -> element (last definition wins for non-virtual)

    def load(self, path):
        tree = ET.parse(path)
        for el in tree.getroot():
            t = local(el.tag)
            if t == "dataType" and el.get("name"):
                self.datatypes[el.get("name")] = el
            elif t == "component" and el.get("name"):
                if el.get("virtual") == "true" and el.get("name") in self.components:
                    continue
                self.components[el.get("name")] = el

    # ---- types
    def resolve_type(self, name, seen=()):
        """Facets of a named type: dict with base and facets."""
        el = self.datatypes.get(name)
        if el is None:
            return {"base": "string"}
        facets = {}
        if el.get("base"):
            facets.update(self.resolve_type(el.get("base"), seen + (name,)))
        for c in el:
            t = local(c.tag)
            if t in BASES:
                facets.update(self.facets_of(c))
                facets["base"] = t
            elif t == "list":
                facets["list"] = self.list_facets(c)
            elif t in ("size", "range", "enumeration", "pattern"):
                self.apply_facet(facets, c)
        facets.setdefault("base", "string")
        return facets

    def list_facets(self, el):
        f = {}
        if el.get("minItems"): f["minItems"] = int(el.get("minItems"))
        if el.get("maxItems"): f["maxItems"] = int(el.get("maxItems"))
        size = child(el, "size")
        if size is not None and size.get("maxLength"): f["maxLength"] = int(size.get("maxLength"))
        return f

    def apply_facet(self, f, c):
        t = local(c.tag)
        if t == "size":
            if c.get("maxLength"): f["maxLength"] = int(c.get("maxLength"))
            if c.get("minLength"): f["minLength"] = int(c.get("minLength"))
        elif t == "range":
            r = {}
            if c.get("minInclusive") is not None: r["min"] = c.get("minInclusive")
            if c.get("maxInclusive") is not None: r["max"] = c.get("maxInclusive")
            f.setdefault("ranges", []).append(r)
        elif t == "enumeration":
            if c.get("access") == "readOnly" and False: return
            f.setdefault("enumeration", []).append(c.get("value"))
        elif t == "pathRef":
            f["reference"] = {"strength": c.get("refType", "weak") if c.get("refType") in ("strong", "weak") else "weak",
                              "targetParents": [p for p in (c.get("targetParent") or "").split() if p]}

    def facets_of(self, el):
        f = {}
        if el.get("ref"):
            f.update(self.resolve_type(el.get("ref")))
        for c in el:
            self.apply_facet(f, c)
        return f

    def syntax(self, syn):
        """ValueSyntax dict for a <syntax> element, and its default value."""
        f = {"base": "string"}
        default = None
        for c in syn:
            t = local(c.tag)
            if t == "list":
                f["list"] = self.list_facets(c)
            elif t in BASES:
                inner = self.facets_of(c)
                f.update(inner)
                f["base"] = inner.get("base", t) if c.get("ref") else t
            elif t == "dataType":
                inner = self.resolve_type(c.get("ref"))
                lst = f.get("list")
                f.update(inner)
                if lst is not None: f["list"] = lst
                for cc in c: self.apply_facet(f, cc)
            elif t == "default" and c.get("type") == "object":
                default = c.get("value")
        return f, default

def clean_syntax(f):
    out = {"base": f.get("base", "string"), "enumeration": f.get("enumeration", []), "ranges": f.get("ranges", [])}
    for k in ("list", "minLength", "maxLength", "reference"):
        if k in f: out[k] = f[k]
    return out

def is_deleted(el):
    return el.get("status") in ("deleted", "obsoleted")

def param_json(m, p):
    syn = child(p, "syntax")
    f, default = m.syntax(syn) if syn is not None else ({"base": "string"}, None)
    access = {"readOnly": "readOnly", "readWrite": "readWrite", "writeOnceReadOnly": "readWrite"}.get(p.get("access", "readOnly"), "readOnly")
    if syn is not None and syn.get("hidden") == "true" and access == "readWrite":
        access = "writeOnly"
    if default == "[]":
        default = ""
    d = {"name": p.get("name"), "syntax": clean_syntax(f), "access": access,
         "valueChangeAllowed": p.get("activeNotify") != "canDeny"}
    if default is not None and f.get("base") != "dateTime" or (default and f.get("base") == "dateTime"):
        d["defaultValue"] = default
    return d

def args_json(m, el, mandatory_ok=True):
    out = []
    if el is None: return out
    for p in children(el, "parameter"):
        if is_deleted(p): continue
        pj = param_json(m, p)
        out.append({"name": pj["name"], "syntax": pj["syntax"], "mandatory": p.get("mandatory") == "true"})
    for o in children(el, "object"):
        # Nested argument tables are flattened as `Name.{i}.Param` names.
        base = o.get("name")
        for p in children(o, "parameter"):
            pj = param_json(m, p)
            out.append({"name": base + pj["name"], "syntax": pj["syntax"], "mandatory": p.get("mandatory") == "true"})
    return out

class Builder:
    def __init__(self, m):
        self.m = m
        self.objects = {}
        self.order = []

    def obj(self, path):
        if path not in self.objects:
            multi = path.endswith(".{i}.")
            self.objects[path] = {"path": path, "isMultiInstance": multi, "access": "readOnly", "uniqueKeys": [],
                                  "parameters": [], "commands": [], "events": []}
            self.order.append(path)
        return self.objects[path]

    def add_param(self, path, pj):
        o = self.obj(path)
        if not any(p["name"] == pj["name"] for p in o["parameters"]):
            o["parameters"].append(pj)

    def expand(self, comp_name, base, depth=0):
        comp = self.m.components.get(comp_name)
        if comp is None:
            print(f"warning: component {comp_name} not found", file=sys.stderr)
            return
        self.expand_body(comp, base, depth)

    def expand_body(self, el, base, depth):
        for c in list(el):
            t = local(c.tag)
            if t == "component" and c.get("ref"):
                if c.get("ref") in ("Alias", "_AliasCWMP", "_AliasUSP", "Alias-2-0"):
                    self.add_param(base, {"name": "Alias", "syntax": {"base": "string", "maxLength": 64, "enumeration": [], "ranges": []},
                                          "access": "readWrite", "valueChangeAllowed": True})
                else:
                    self.expand(c.get("ref"), base + (c.get("path") or ""), depth + 1)
            elif t == "parameter" and not is_deleted(c):
                self.obj(base)
                if c.get("name"):
                    self.add_param(base, param_json(self.m, c))
            elif t == "command" and not is_deleted(c):
                cmd = self.command(c)
                if all(x["name"] != cmd["name"] for x in self.obj(base)["commands"]):
                    self.obj(base)["commands"].append(cmd)
            elif t == "event" and not is_deleted(c):
                ev = self.event(c)
                if all(x["name"] != ev["name"] for x in self.obj(base)["events"]):
                    self.obj(base)["events"].append(ev)
            elif t == "object" and not is_deleted(c):
                name = c.get("name") or c.get("base") or ""
                path = name if name.startswith("Device.") else base + name
                o = self.obj(path)
                acc = c.get("access", "readOnly")
                if o["isMultiInstance"]:
                    o["access"] = "addDelete" if acc == "readWrite" else "readOnly"
                if c.get("numEntriesParameter"):
                    o["numberOfEntriesParameter"] = c.get("numEntriesParameter")
                for uk in children(c, "uniqueKey"):
                    keys = [p.get("ref") for p in children(uk, "parameter")]
                    if keys and keys not in o["uniqueKeys"]:
                        o["uniqueKeys"].append(keys)
                self.expand_body(c, path, depth)

    def command(self, c):
        return {"name": c.get("name").rstrip("()"), "isAsync": c.get("async") == "true",
                "inputs": args_json(self.m, child(c, "input")), "outputs": args_json(self.m, child(c, "output"))}

    def event(self, c):
        return {"name": c.get("name").rstrip("!"), "arguments": args_json(self.m, c)}

def build(spec_dir):
    m = Model()
    files = sorted(f for f in os.listdir(spec_dir) if f.endswith(".xml"))
    # tr-106-types first so that later files can override.
    files.sort(key=lambda f: (not f.startswith("tr-106"), f))
    for f in files:
        m.load(os.path.join(spec_dir, f))
    b = Builder(m)
    for path, o in SYNTHETIC.items():
        b.obj(path).update({k: v for k, v in o.items()})
    for path, params in SYNTHETIC_PARAMS.items():
        for name, syn in params:
            b.add_param(path, {"name": name, "syntax": clean_syntax(syn), "access": "readWrite" if name == "Alias" else "readOnly",
                               "valueChangeAllowed": True})
    for comp, base in MOUNTS:
        b.expand(comp, base)
    # `<object base="Device.X.">` extensions (in components not mounted above, or in models)
    # add parameters and commands to objects that were emitted.
    for _ in range(2):
        for comp in m.components.values():
            for c in comp:
                if local(c.tag) == "object" and (c.get("base") or "").startswith("Device.") and c.get("base") in b.objects:
                    b.expand_body([c], "", 0)
    # Objects whose parents are missing get their parents as plain single-instance objects.
    def parent(p):
        comps = p[:-1].split(".")
        if comps[-1] == "{i}": comps = comps[:-1]
        comps = comps[:-1]
        return ".".join(comps) + "." if comps else None
    for p in list(b.order):
        q = parent(p)
        while q and q not in b.objects:
            b.obj(q)
            q = parent(q)
    # Unique keys must name parameters; drop parameters counting tables not emitted.
    for o in b.objects.values():
        names = {p["name"] for p in o["parameters"]}
        o["uniqueKeys"] = [k for k in o["uniqueKeys"] if all(n in names for n in k)]
    counted = {o.get("numberOfEntriesParameter"): o["path"] for o in b.objects.values() if o.get("numberOfEntriesParameter")}
    for o in b.objects.values():
        o["parameters"] = [p for p in o["parameters"]
                           if not p["name"].endswith("NumberOfEntries") or p["name"] in counted]
    return [b.objects[p] for p in sorted(b.order)]

def render(objects):
    lines = [json.dumps(o, separators=(",", ":"), sort_keys=True) for o in objects]
    body = "[\n" + ",\n".join(lines) + "\n]"
    assert '"""#' not in body
    return ("// GENERATED by scripts/gen-tr181.py from ../shared/spec/tr-181/*.xml (Broadband Forum\n"
            "// TR-181 Device:2.19, BSD-3-Clause). Do not edit; run `python3 scripts/gen-tr181.py`.\n\n"
            "extension TR181 {\n"
            f"    /// {len(objects)} objects of the supported data model, as JSON `ObjectSchema` values.\n"
            "    static let json = #\"\"\"\n" + body + "\n\"\"\"#\n}\n")

def main():
    objects = build(SPEC)
    text = render(objects)
    if "--check" in sys.argv:
        current = open(OUT).read() if os.path.exists(OUT) else ""
        if current != text:
            print("TR181Data.swift is out of date: run python3 scripts/gen-tr181.py", file=sys.stderr)
            sys.exit(1)
        print(f"TR181Data.swift up to date ({len(objects)} objects)")
        return
    with open(OUT, "w") as fh:
        fh.write(text)
    nparams = sum(len(o["parameters"]) for o in objects)
    print(f"wrote {OUT}: {len(objects)} objects, {nparams} parameters")

if __name__ == "__main__":
    main()
