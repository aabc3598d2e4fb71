/* Optional compiled reader for pctt.cap.reader.Fields: the same result as the Python loop.
 *
 * Reading an alert through lxml's Python API creates an element proxy and a "{ns}name" string
 * for every child, which costs more than parsing the message. This walks libxml2's nodes of an
 * lxml element directly (lxml's public C API: the node behind an element, its text exactly as
 * `.text` gives it, proxies only for the nested blocks and foreign elements the caller keeps).
 * It only reads the tree; the caller holds the element, so the tree outlives the call.
 *
 * Built by pctt.cap.speedups (./pctt.sh does it when a C compiler is there); without it,
 * pctt.cap.reader runs its Python loop, which the tests hold equal to this one.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include "lxml-version.h"
#include "etree_defs.h"
#include "lxml.etree_api.h"

static const char CAP12_NS[] = "urn:oasis:names:tc:emergency:cap:1.2";

enum kind { TEXT = 0, BLOCK = 1, PAIR = 2 };

/* Sorted by strcmp, searched by bisection. */
static const struct {
    const char *name;
    enum kind kind;
} NAMES[] = {
    {"addresses", TEXT},    {"altitude", TEXT},     {"area", BLOCK},
    {"areaDesc", TEXT},     {"audience", TEXT},     {"category", TEXT},
    {"ceiling", TEXT},      {"certainty", TEXT},    {"circle", TEXT},
    {"code", TEXT},         {"contact", TEXT},      {"derefUri", TEXT},
    {"description", TEXT},  {"digest", TEXT},       {"effective", TEXT},
    {"event", TEXT},        {"eventCode", PAIR},    {"expires", TEXT},
    {"geocode", PAIR},      {"headline", TEXT},     {"identifier", TEXT},
    {"incidents", TEXT},    {"info", BLOCK},        {"instruction", TEXT},
    {"language", TEXT},     {"mimeType", TEXT},     {"msgType", TEXT},
    {"note", TEXT},         {"onset", TEXT},        {"parameter", PAIR},
    {"polygon", TEXT},      {"references", TEXT},   {"resource", BLOCK},
    {"resourceDesc", TEXT}, {"responseType", TEXT}, {"restriction", TEXT},
    {"scope", TEXT},        {"sender", TEXT},       {"senderName", TEXT},
    {"sent", TEXT},         {"severity", TEXT},     {"size", TEXT},
    {"source", TEXT},       {"status", TEXT},       {"urgency", TEXT},
    {"uri", TEXT},          {"value", TEXT},        {"valueName", TEXT},
    {"web", TEXT},
};
#define NAME_COUNT ((int)(sizeof(NAMES) / sizeof(NAMES[0])))

static PyObject *interned[NAME_COUNT]; /* the names as Python strings, shared with Python */
static PyObject *empty;                /* "" */
static PyTypeObject *element_type;     /* lxml.etree._Element */
static PyTypeObject *pair_type;        /* pctt.cap.model.ValuePair */

static int find_name(const xmlChar *name) {
    int low = 0, high = NAME_COUNT - 1;
    while (low <= high) {
        int middle = (low + high) / 2;
        int order = strcmp((const char *)name, NAMES[middle].name);
        if (order == 0) return middle;
        if (order < 0) high = middle - 1;
        else low = middle + 1;
    }
    return -1;
}

static int is_cap(const xmlNode *node) {
    return node->type == XML_ELEMENT_NODE && node->ns != NULL && node->ns->href != NULL &&
           strcmp((const char *)node->ns->href, CAP12_NS) == 0;
}

/* `.text or ""` */
static PyObject *text_of(xmlNode *node) {
    PyObject *text = textOf(node);
    if (text == Py_None) {
        Py_DECREF(text);
        Py_INCREF(empty);
        return empty;
    }
    return text;
}

/* valueName and value: the text of the first of each (what the Python reader's _checked_pair
 * reads; for a schema-valid pair, its two children). */
static PyObject *read_pair(xmlNode *node) {
    PyObject *found[2] = {NULL, NULL};
    for (xmlNode *child = node->children; child != NULL; child = child->next) {
        if (!is_cap(child)) continue;
        int slot = strcmp((const char *)child->name, "valueName") == 0 ? 0
                   : strcmp((const char *)child->name, "value") == 0   ? 1
                                                                       : -1;
        if (slot < 0 || found[slot] != NULL) continue;
        found[slot] = text_of(child);
        if (found[slot] == NULL) goto fail;
    }
    PyObject *pair = pair_type->tp_alloc(pair_type, 2);
    if (pair == NULL) goto fail;
    for (int slot = 0; slot < 2; slot++) {
        if (found[slot] == NULL) {
            Py_INCREF(empty);
            found[slot] = empty;
        }
        PyTuple_SET_ITEM(pair, slot, found[slot]);
    }
    return pair;
fail:
    Py_XDECREF(found[0]);
    Py_XDECREF(found[1]);
    return NULL;
}

/* Append `item` to the list at `dict[key]`, creating the list; steals nothing. */
static int append_to(PyObject *dict, PyObject *key, PyObject *item) {
    PyObject *list = PyDict_GetItemWithError(dict, key);
    if (list != NULL) return PyList_Append(list, item);
    if (PyErr_Occurred()) return -1;
    list = PyList_New(1);
    if (list == NULL) return -1;
    Py_INCREF(item);
    PyList_SET_ITEM(list, 0, item);
    int failed = PyDict_SetItem(dict, key, list);
    Py_DECREF(list);
    return failed;
}

/* A text field: the first goes to `text`; from the second on, all go to `repeated`. */
static int add_text(PyObject *text, PyObject *repeated, PyObject *name, PyObject *value) {
    PyObject *first = PyDict_GetItemWithError(text, name);
    if (first == NULL) return PyErr_Occurred() ? -1 : PyDict_SetItem(text, name, value);
    int seen = PyDict_Contains(repeated, name);
    if (seen < 0 || (seen == 0 && append_to(repeated, name, first) < 0)) return -1;
    return append_to(repeated, name, value);
}

/* What one element holds, as the Python reader's loop fills it. */
struct children {
    PyObject *text, *repeated, *blocks, *pairs, *foreign; /* blocks: [(name, element), …] */
};

static void children_clear(struct children *found) {
    Py_CLEAR(found->text);
    Py_CLEAR(found->repeated);
    Py_CLEAR(found->blocks);
    Py_CLEAR(found->pairs);
    Py_CLEAR(found->foreign);
}

/* Read the children of `proxy` into `found` (new references); -1 with an exception set. */
static int read_children(struct LxmlElement *proxy, struct children *found) {
    found->text = PyDict_New();
    found->repeated = PyDict_New();
    found->blocks = PyList_New(0);
    found->pairs = PyDict_New();
    found->foreign = PyList_New(0);
    if (!found->text || !found->repeated || !found->blocks || !found->pairs || !found->foreign)
        goto fail;
    /* A comment, PI or entity proxy has no children to read (an entity reference's `children`
     * would be its declaration): read as empty, like the Python loop. */
    xmlNode *first = proxy->_c_node->type == XML_ELEMENT_NODE ? proxy->_c_node->children : NULL;
    for (xmlNode *child = first; child != NULL; child = child->next) {
        if (child->type != XML_ELEMENT_NODE) continue; /* text, comments, PIs, entities */
        int index = is_cap(child) ? find_name(child->name) : -1;
        if (index < 0) {
            PyObject *other = (PyObject *)elementFactory(proxy->_doc, child);
            if (other == NULL) goto fail;
            int failed = PyList_Append(found->foreign, other);
            Py_DECREF(other);
            if (failed) goto fail;
            continue;
        }
        PyObject *name = interned[index], *value;
        int failed;
        switch (NAMES[index].kind) {
        case TEXT:
            value = text_of(child);
            if (value == NULL) goto fail;
            failed = add_text(found->text, found->repeated, name, value);
            break;
        case PAIR:
            value = read_pair(child);
            if (value == NULL) goto fail;
            failed = append_to(found->pairs, name, value);
            break;
        default: { /* BLOCK */
            PyObject *block = (PyObject *)elementFactory(proxy->_doc, child);
            if (block == NULL) goto fail;
            value = PyTuple_Pack(2, name, block);
            Py_DECREF(block);
            if (value == NULL) goto fail;
            failed = PyList_Append(found->blocks, value);
        }
        }
        Py_DECREF(value);
        if (failed) goto fail;
    }
    return 0;
fail:
    children_clear(found);
    return -1;
}

static struct LxmlElement *as_element(PyObject *element) {
    if (element_type == NULL || pair_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "pctt.cap._fastread.setup() was not called");
        return NULL;
    }
    if (!PyObject_TypeCheck(element, element_type)) {
        PyErr_SetString(PyExc_TypeError, "an lxml element is needed");
        return NULL;
    }
    struct LxmlElement *proxy = (struct LxmlElement *)element;
    if (proxy->_c_node == NULL) {
        PyErr_SetString(PyExc_ValueError, "element is not attached to a tree");
        return NULL;
    }
    return proxy;
}

/* --- filling pctt.cap.reader.Fields objects ----------------------------------------------- */

/* Fields' slots, set through their descriptors (what `self.text = …` does in Python). */
enum slot { S_ELEMENT, S_SCHEMA_VALID, S_TIMES, S_TEXT, S_REPEATED, S_BLOCKS, S_PAIRS, S_FOREIGN };
static const char *const SLOT_NAMES[] = {"element", "schema_valid", "_times", "text",
                                         "repeated", "blocks", "pairs", "foreign"};
#define SLOT_COUNT 8
static PyTypeObject *fields_type;
static PyObject *slots[SLOT_COUNT];

/* Fill `fields` from `element`, and a new Fields for each nested block, recursively. The depth
 * is libxml2's (at most 256 levels): only info, area and resource children are followed. */
static int fill_fields(PyObject *fields, PyObject *element, PyObject *schema_valid) {
    struct LxmlElement *proxy = as_element(element);
    struct children found;
    if (proxy == NULL || read_children(proxy, &found) < 0) return -1;
    PyObject *blocks = PyDict_New();
    if (blocks == NULL) goto fail;
    Py_ssize_t count = PyList_GET_SIZE(found.blocks);
    for (Py_ssize_t at = 0; at < count; at++) {
        PyObject *pair = PyList_GET_ITEM(found.blocks, at);
        PyObject *child = fields_type->tp_alloc(fields_type, 0);
        if (child == NULL) goto fail;
        int failed = fill_fields(child, PyTuple_GET_ITEM(pair, 1), schema_valid) < 0 ||
                     append_to(blocks, PyTuple_GET_ITEM(pair, 0), child) < 0;
        Py_DECREF(child);
        if (failed) goto fail;
    }
    Py_CLEAR(found.blocks);
    Py_INCREF(element);
    Py_INCREF(schema_valid);
    PyObject *values[SLOT_COUNT] = {element,        schema_valid, PyDict_New(),  found.text,
                                    found.repeated, blocks,       found.pairs,   found.foreign};
    int failed = 0;
    for (int slot = 0; slot < SLOT_COUNT; slot++) { /* `self.text = …`, and so on */
        if (!failed && (values[slot] == NULL ||
                        Py_TYPE(slots[slot])->tp_descr_set(slots[slot], fields, values[slot]) < 0))
            failed = 1;
        Py_XDECREF(values[slot]); /* the slot holds its own reference */
    }
    return failed ? -1 : 0;
fail:
    Py_XDECREF(blocks);
    children_clear(&found);
    return -1;
}

/* fill(fields, element, schema_valid): Fields.__init__ in C. */
static PyObject *fill(PyObject *module, PyObject *const *args, Py_ssize_t count) {
    if (count != 3) {
        PyErr_SetString(PyExc_TypeError, "fill(fields, element, schema_valid)");
        return NULL;
    }
    if (fields_type == NULL || !PyObject_TypeCheck(args[0], fields_type)) {
        PyErr_SetString(PyExc_TypeError, "fill() takes a pctt.cap.reader.Fields");
        return NULL;
    }
    if (!PyBool_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "schema_valid must be a bool");
        return NULL;
    }
    if (fill_fields(args[0], args[1], args[2]) < 0) return NULL;
    Py_RETURN_NONE;
}

/* child_line(element, name, index): the source line of the index-th CAP child `name`; None
 * when there is no such child or libxml2 keeps the line elsewhere (65535 and beyond: lxml's
 * sourceline then asks libxml2). Fields.line() without a proxy per child. */
static PyObject *child_line(PyObject *module, PyObject *args) {
    PyObject *element;
    const char *name;
    Py_ssize_t index;
    if (!PyArg_ParseTuple(args, "Osn", &element, &name, &index)) return NULL;
    struct LxmlElement *proxy = as_element(element);
    if (proxy == NULL) return NULL;
    if (proxy->_c_node->type != XML_ELEMENT_NODE) Py_RETURN_NONE;
    for (xmlNode *child = proxy->_c_node->children; child != NULL; child = child->next) {
        if (!is_cap(child) || strcmp((const char *)child->name, name) != 0) continue;
        if (index-- > 0) continue;
        if (child->line == 0 || child->line >= 65535) Py_RETURN_NONE;
        return PyLong_FromLong(child->line);
    }
    Py_RETURN_NONE;
}

/* setup(element_type, pair_type, fields_type): the types fill() needs, given once by
 * pctt.cap.reader. */
static PyObject *setup(PyObject *module, PyObject *args) {
    PyObject *elements, *pairs, *fields;
    if (!PyArg_ParseTuple(args, "O!O!O!", &PyType_Type, &elements, &PyType_Type, &pairs,
                          &PyType_Type, &fields))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)pairs, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "pair_type must be a tuple type");
        return NULL;
    }
    PyObject *found[SLOT_COUNT];
    for (int slot = 0; slot < SLOT_COUNT; slot++) {
        found[slot] = PyObject_GetAttrString(fields, SLOT_NAMES[slot]);
        if (found[slot] == NULL || Py_TYPE(found[slot])->tp_descr_set == NULL ||
            !PyObject_TypeCheck(found[slot], &PyMemberDescr_Type)) {
            for (int done = 0; done <= slot; done++) Py_XDECREF(found[done]);
            PyErr_Format(PyExc_TypeError, "fields_type has no slot %s", SLOT_NAMES[slot]);
            return NULL;
        }
    }
    for (int slot = 0; slot < SLOT_COUNT; slot++) Py_XSETREF(slots[slot], found[slot]);
    Py_INCREF(elements);
    Py_INCREF(pairs);
    Py_INCREF(fields);
    Py_XSETREF(element_type, (PyTypeObject *)elements);
    Py_XSETREF(pair_type, (PyTypeObject *)pairs);
    Py_XSETREF(fields_type, (PyTypeObject *)fields);
    Py_RETURN_NONE;
}

/* The lxml and libxml2 whose headers this was compiled with: the reader reads their structs,
 * so pctt.cap.reader uses it only when they are the ones loaded. */
static PyObject *built_against(PyObject *module, PyObject *unused) {
    return Py_BuildValue("(ss)", LXML_VERSION_STRING, LIBXML_DOTTED_VERSION);
}

static PyMethodDef methods[] = {
    {"built_against", built_against, METH_NOARGS, "(lxml version, libxml2 version) compiled with"},
    {"fill", (PyCFunction)(void (*)(void))fill, METH_FASTCALL,
     "fill(fields, element, schema_valid): Fields.__init__ in C"},
    {"setup", setup, METH_VARARGS, "setup(element_type, pair_type, fields_type)"},
    {"child_line", child_line, METH_VARARGS, "child_line(element, name, index) -> int | None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "pctt.cap._fastread", "Compiled reader for pctt.cap.reader.Fields.",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fastread(void) {
    for (int index = 1; index < NAME_COUNT; index++) {
        if (strcmp(NAMES[index - 1].name, NAMES[index].name) >= 0) {
            PyErr_Format(PyExc_ImportError, "NAMES is not sorted at %s", NAMES[index].name);
            return NULL;
        }
    }
    if (import_lxml__etree() < 0) return NULL;
    for (int index = 0; index < NAME_COUNT; index++) {
        interned[index] = PyUnicode_InternFromString(NAMES[index].name);
        if (interned[index] == NULL) return NULL;
    }
    empty = PyUnicode_FromString("");
    if (empty == NULL) return NULL;
    return PyModule_Create(&definition);
}
