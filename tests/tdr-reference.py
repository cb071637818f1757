#!/usr/bin/python3
# tdr-reference.py FILE — an independent reading (pydicom) of a DICOS
# threat detection report for tests/test-case-tdr.c: key=value lines on
# standard output.  Exit 77: pydicom is missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys, warnings
warnings.filterwarnings("ignore")
try:
    import pydicom
except ImportError:
    sys.exit(77)

CREATOR = "DOORLICHT 1"

def private(ds, element):
    try:
        return str(ds.private_block(0x0009, CREATOR)[element].value).strip()
    except KeyError:
        return ""

def numbers(values):
    return "\\".join("%g" % v for v in values)

ds = pydicom.dcmread(sys.argv[1])
out = {
    "sop_class": ds.SOPClassUID,
    "sop_instance": ds.SOPInstanceUID,
    "modality": ds.Modality,
    "tdr_type": ds[0x4010, 0x1027].value,
    "alarm_decision": ds[0x4010, 0x1031].value,
    "alarm_decision_time": ds[0x4010, 0x102b].value,
    "operator": str(ds.get((0x0008, 0x1070)).value) if (0x0008, 0x1070) in ds else "",
    "total": ds[0x4010, 0x1033].value,
    "alarms": ds[0x4010, 0x1034].value,
    "verdict": private(ds, 0x10),
    "threats": len(ds[0x4010, 0x1011].value),
}
for i, t in enumerate(ds[0x4010, 0x1011].value):
    pto = t[0x4010, 0x1037].value[0]
    atd = t[0x4010, 0x1038].value[0]
    ref = pto[0x0008, 0x114a].value[0]
    k = "threat%d_" % i
    out[k + "id"] = t[0x4010, 0x1010].value
    out[k + "ref_class"] = ref[0x0008, 0x1150].value
    out[k + "ref_uid"] = ref[0x0008, 0x1155].value
    out[k + "polygon"] = numbers(pto[0x4010, 0x101d].value) if (0x4010, 0x101d) in pto else ""
    if (0x4010, 0x1001) in pto:
        voxel = pto[0x4010, 0x1001].value[0]
        out[k + "box"] = numbers(list(voxel[0x4010, 0x1004].value) + list(voxel[0x4010, 0x1005].value))
    out[k + "assessment"] = atd[0x4010, 0x1015].value
    out[k + "description"] = atd[0x4010, 0x1013].value if (0x4010, 0x1013) in atd else ""
    out[k + "source"] = private(t, 0x01)
    out[k + "response"] = private(t, 0x02)
    out[k + "responder"] = private(t, 0x03)
    out[k + "response_time"] = private(t, 0x04)
for key, value in out.items():
    print("%s=%s" % (key, value))
