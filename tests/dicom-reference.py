#!/usr/bin/python3
# dicom-reference.py FILE OUTDIR — an independent reading of a DICOM file
# for tests/test-dicom.c: pydicom for the header and native pixels; for
# compressed transfer syntaxes pydicom 2.3 cannot decode, DCMTK's dcmdjpeg
# (JPEG) or OpenJPEG's opj_decompress (JPEG 2000, on the codestream
# pydicom extracts).  Writes OUTDIR/ref.txt (key=value lines) and
# OUTDIR/ref.raw (the stored values, masked to Bits Stored and sign
# extended, as little-endian int32, frame by frame).  Exit 77: a tool is
# missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os, shutil, subprocess, sys, warnings
warnings.filterwarnings("ignore")
try:
    import numpy as np
    import pydicom
    from pydicom.encaps import generate_pixel_data_frame
except ImportError:
    sys.exit(77)

JPEG = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"}
J2K = {"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"}

def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end]); pos = end
    pos += 1
    w, h, maxval = int(fields[1]), int(fields[2]), int(fields[3])
    dt = ">u2" if maxval > 255 else "u1"
    return np.frombuffer(data[pos:], dtype=dt, count=w * h).reshape(h, w)

def decode(path, ds, ts, out):
    if ts in JPEG:
        if not shutil.which("dcmdjpeg"):
            sys.exit(77)
        plain = os.path.join(out, "plain.dcm")
        subprocess.run(["dcmdjpeg", path, plain], check=True, stderr=subprocess.DEVNULL)
        return "dcmdjpeg", pydicom.dcmread(plain, force=True).pixel_array
    if ts in J2K:
        if not shutil.which("opj_decompress"):
            sys.exit(77)
        n = int(ds.get("NumberOfFrames", 1) or 1)
        frames = []
        for i, frame in enumerate(generate_pixel_data_frame(ds.PixelData, n)):
            j2k, pgm = os.path.join(out, "f%d.j2k" % i), os.path.join(out, "f%d.pgm" % i)
            with open(j2k, "wb") as f:
                f.write(frame)
            subprocess.run(["opj_decompress", "-i", j2k, "-o", pgm], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            frames.append(read_pgm(pgm))
        return "opj_decompress", frames[0] if n == 1 else np.stack(frames)
    return "pydicom", ds.pixel_array

def main():
    path, out = sys.argv[1], sys.argv[2]
    ds = pydicom.dcmread(path, force=True)
    ts = str(getattr(getattr(ds, "file_meta", None), "TransferSyntaxUID", "") or "")
    if "TransferSyntaxUID" not in getattr(ds, "file_meta", {}):
        ds.file_meta = pydicom.dataset.FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
        ds.is_implicit_VR, ds.is_little_endian = True, True
    info = {"photometric": str(ds.get("PhotometricInterpretation", "")).strip(),
            "modality": str(ds.get("Modality", "")), "sop_class": str(ds.get("SOPClassUID", ""))}
    if "PixelData" not in ds:
        info["pixels"] = "none"
    else:
        decoder, a = decode(path, ds, ts, out)
        bits, signed = int(ds.BitsStored), int(ds.PixelRepresentation) == 1
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        a = np.asarray(a).astype(np.int64).reshape(frames, int(ds.Rows), int(ds.Columns))
        a &= (1 << bits) - 1
        if signed:
            a = np.where(a >= 1 << (bits - 1), a - (1 << bits), a)
        a.astype("<i4").tofile(os.path.join(out, "ref.raw"))
        info.update(pixels="yes", decoder=decoder, width=ds.Columns, height=ds.Rows, frames=frames,
                    bits=bits, signed=int(signed), slope=float(ds.get("RescaleSlope", 1) or 1),
                    intercept=float(ds.get("RescaleIntercept", 0) or 0))
        if "FrameLabelVector" in ds:
            labels = ds.FrameLabelVector
            info["frame_labels"] = "\\".join(str(v) for v in (labels if isinstance(labels, pydicom.multival.MultiValue) else [labels]))
        for key, tag in (("imager_spacing", "ImagerPixelSpacing"), ("pixel_spacing", "PixelSpacing")):
            if tag in ds and ds.get(tag):
                info[key] = "\\".join(str(float(v)) for v in ds.get(tag))
    if "ThreatSequence" in ds:
        threats = ds.ThreatSequence
        info["threats"] = len(threats)
        for i, t in enumerate(threats):
            rep = t.PTORepresentationSequence[0] if "PTORepresentationSequence" in t else None
            atd = t.ATDAssessmentSequence[0] if "ATDAssessmentSequence" in t else None
            if rep is not None and "ThreatROIVoxelSequence" in rep:
                v = rep.ThreatROIVoxelSequence[0]
                info["threat%d_box" % i] = "\\".join("%g" % x for x in list(v.ThreatROIBase) + list(v.ThreatROIExtents))
            if atd is not None:
                info["threat%d_category" % i] = str(atd.get("ThreatCategory", ""))
                info["threat%d_assessment" % i] = str(atd.get("ATDAssessmentFlag", ""))
                if "ATDAssessmentProbability" in atd:
                    info["threat%d_probability" % i] = "%.6g" % float(atd.ATDAssessmentProbability)
            info["threat%d_id" % i] = int(t.get("PotentialThreatObjectID", 0))
        info["tdr_type"] = str(ds.get("TDRType", ""))
        info["alarm_decision"] = str(ds.get("AlarmDecision", ""))
    with open(os.path.join(out, "ref.txt"), "w") as f:
        for k, v in info.items():
            f.write("%s=%s\n" % (k, v))

main()
