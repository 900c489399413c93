"""An archive package (E-ARK SIP, CSIP 2.1, as FGS Paketstruktur uses it) of a closed dialogue.

    PACKAGE-ID/
      METS.xml                          the package: agents, descriptive and preservation metadata,
                                        files with size and SHA-256, the CSIP structural map
      metadata/descriptive/dc.xml       Dublin Core: title, municipality, diarienummer, dates, area
      metadata/preservation/premis.xml  PREMIS: each file, and the events (created, moderated, purged)
      representations/rep1/METS.xml     the representation's own METS
      representations/rep1/data/        report.pdf, report.html, dialogue.gpkg (SWEREF 99 TM),
                                        comments.csv (hidden ones too, flagged), answers.csv,
                                        survey.json (the exact version published), audit-log.csv
      documentation/README.txt          what the package holds, in Swedish
      schemas/                          the METS, XLink and DILCIS extension XSDs

Each data file is made by the same code as the planner's exports (app/export), so the archive
holds what the working group saw. The report PDF is plain PDF 1.4 from fpdf2, not PDF/A (see
README): an archive that needs PDF/A converts it on intake.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import mimetypes
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select

from ..export.service import FORMATS, produce
from ..export.source import ExportOptions
from ..extensions import db
from ..models import AuditEvent, Dialogue, Pin

ARCHIVE_STATUSES = ("closed", "archived")
SOFTWARE = "Platsdialog"
SOFTWARE_VERSION = "0.1.0"
METS_NS = ('xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xmlns:csip="https://DILCIS.eu/XML/METS/CSIPExtensionMETS" '
           'xmlns:sip="https://DILCIS.eu/XML/METS/SIPExtensionMETS"')
SCHEMA_LOCATION = ('xsi:schemaLocation="http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd '
                   'http://www.w3.org/1999/xlink http://www.loc.gov/standards/mets/xlink.xsd '
                   'https://DILCIS.eu/XML/METS/CSIPExtensionMETS '
                   'https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd '
                   'https://DILCIS.eu/XML/METS/SIPExtensionMETS '
                   'https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd"')
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"


class ArchiveRefused(Exception):
    """The dialogue cannot be archived yet; the message says why."""


@dataclass(frozen=True)
class PackedFile:
    """A file in the package, with what METS and PREMIS say about it."""

    path: Path  # relative to the package root
    size: int
    sha256: str
    mimetype: str
    created: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _export_bytes(dialogue: Dialogue, key: str, options: ExportOptions) -> bytes:
    """One export made by app/export, as bytes."""
    export = produce(dialogue, FORMATS[key], options)
    if export.chunks is not None:
        return "".join(export.chunks).encode("utf-8")
    try:
        return export.path.read_bytes()
    finally:
        export.path.unlink()


def _audit_csv(dialogue: Dialogue) -> bytes:
    """The audit log of the dialogue and its comments: who did what, when."""
    pin_ids = set(db.session.execute(select(Pin.id).where(Pin.dialogue_id == dialogue.id)).scalars())
    events = db.session.execute(
        select(AuditEvent).where(AuditEvent.municipality_id == dialogue.municipality_id)
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).scalars().all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "action", "user_id", "object_type", "object_id", "detail"])
    for e in events:
        if (e.object_type, e.object_id) == ("Dialogue", dialogue.id) or (
                e.object_type == "Pin" and e.object_id in pin_ids):
            writer.writerow([_iso(e.created_at), e.action, e.user_id or "", e.object_type or "",
                             e.object_id or "", json.dumps(e.detail, ensure_ascii=False, sort_keys=True)])
    return out.getvalue().encode("utf-8")


def _dublin_core(dialogue: Dialogue, created: datetime) -> bytes:
    """Descriptive metadata: what the package is, whose, and its case number."""
    m = dialogue.municipality
    fields = [
        ("dc:title", f"Medborgardialog: {dialogue.title}"),
        ("dc:creator", m.name),
        ("dc:publisher", m.name),
        ("dc:subject", "medborgardialog; platsutveckling; trygghet; rättvisa; utvecklingsmöjligheter"),
        ("dc:description", dialogue.description or ""),
        ("dc:coverage", dialogue.area.name),
        ("dc:date", "/".join(d.isoformat() for d in (dialogue.opens_on, dialogue.closes_on) if d)),
        ("dc:identifier", dialogue.diarienummer or dialogue.slug),
        ("dc:relation", f"kommunkod:{m.kommunkod}"),
        ("dc:rights", dialogue.retention_decision or "Bevaras"),
        ("dc:language", " ".join(dialogue.languages or ["sv"])),
        ("dc:type", "Dataset"),
    ]
    body = "\n".join(f"  <{tag}>{escape(str(value))}</{tag}>" for tag, value in fields if value)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f"{body}\n  <dc:date>{_iso(created)}</dc:date>\n</metadata>\n").encode()


def _premis(dialogue: Dialogue, files: list[PackedFile], created: datetime) -> bytes:
    """Preservation metadata: each data file with its fixity, and what happened to the dialogue."""
    objects = "\n".join(f"""  <object xsi:type="file">
    <objectIdentifier><objectIdentifierType>local</objectIdentifierType><objectIdentifierValue>{escape(str(f.path))}</objectIdentifierValue></objectIdentifier>
    <objectCharacteristics>
      <compositionLevel>0</compositionLevel>
      <fixity><messageDigestAlgorithm>SHA-256</messageDigestAlgorithm><messageDigest>{f.sha256}</messageDigest></fixity>
      <size>{f.size}</size>
      <format><formatDesignation><formatName>{escape(f.mimetype)}</formatName></formatDesignation></format>
    </objectCharacteristics>
  </object>""" for f in files)
    happenings = [("creation", dialogue.created_at, "Dialogue created"),
                  ("ingestion start", dialogue.opened_at, "Opened to residents"),
                  ("ingestion end", dialogue.closed_at, "Closed to residents"),
                  ("deletion", dialogue.purged_at, "Comments deleted by the retention decision"),
                  ("information package creation", created, "Archive package made by Platsdialog")]
    events = "\n".join(f"""  <event>
    <eventIdentifier><eventIdentifierType>local</eventIdentifierType><eventIdentifierValue>event-{n}</eventIdentifierValue></eventIdentifier>
    <eventType>{escape(kind)}</eventType>
    <eventDateTime>{_iso(when)}</eventDateTime>
    <eventDetailInformation><eventDetail>{escape(detail)}</eventDetail></eventDetailInformation>
    <linkingAgentIdentifier><linkingAgentIdentifierType>local</linkingAgentIdentifierType><linkingAgentIdentifierValue>agent-software</linkingAgentIdentifierValue></linkingAgentIdentifier>
  </event>""" for n, (kind, when, detail) in enumerate(happenings, start=1) if when)
    agent = f"""  <agent>
    <agentIdentifier><agentIdentifierType>local</agentIdentifierType><agentIdentifierValue>agent-software</agentIdentifierValue></agentIdentifier>
    <agentName>{SOFTWARE} {SOFTWARE_VERSION}</agentName>
    <agentType>software</agentType>
  </agent>"""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<premis xmlns="http://www.loc.gov/premis/v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'version="3.0">\n' f"{objects}\n{events}\n{agent}\n</premis>\n").encode()


def _pack(root: Path, relative: str, data: bytes, created: datetime) -> PackedFile:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    mimetype = {".gpkg": "application/geopackage+sqlite3", ".csv": "text/csv",
                ".json": "application/json", ".xml": "text/xml"}.get(path.suffix) \
        or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return PackedFile(Path(relative), len(data), hashlib.sha256(data).hexdigest(), mimetype, created)


SCHEMAS = Path(__file__).with_name("schemas")  # METS, XLink and the DILCIS extensions, as published
GROUP_TYPE = 'csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="Platsdialog"'
PACKAGE_TYPE = ('TYPE="Other" csip:OTHERTYPE="Medborgardialog" csip:CONTENTINFORMATIONTYPE="OTHER" '
                'csip:OTHERCONTENTINFORMATIONTYPE="Platsdialog"')
DOCUMENTATION = """Arkivpaket från Platsdialog (E-ARK SIP enligt CSIP 2.1, som FGS Paketstruktur använder det)

En medborgardialog: invånares synpunkter på en karta, värdena trygghet, rättvisa och
utvecklingsmöjligheter. Filerna i representations/rep1/data:

  report.pdf, report.html  rapporten Underlag inför samråd (PDF 1.4, inte PDF/A; HTML-versionen är
                           tillgänglig för skärmläsare)
  dialogue.gpkg            GeoPackage i SWEREF 99 TM (EPSG:3006): area, pins (alla synpunkter,
                           även dolda, med kolumnen hidden), named_places, grid_100m
  comments.csv             synpunkterna, som de kom in, med modereringsstatus
  answers.csv              enkätsvaren, en rad per svar (respondenterna pseudonymiserade)
  survey.json              den exakta enkätversion som dialogen publicerades med
  audit-log.csv            vem som gjorde vad och när med dialogen och dess synpunkter

metadata/descriptive/dc.xml är Dublin Core (diarienummer i dc:identifier, gallringsbeslut i
dc:rights), metadata/preservation/premis.xml PREMIS 3 med kontrollsummor (SHA-256) och händelser.
"""


def _file_xml(f: PackedFile, file_id: str, href: str) -> str:
    return (f'<file ID="{file_id}" MIMETYPE="{f.mimetype}" SIZE="{f.size}" CREATED="{_iso(f.created)}" '
            f'CHECKSUM="{f.sha256}" CHECKSUMTYPE="SHA-256">'
            f'<FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(href)}/></file>')


def _md_ref(f: PackedFile, mdtype: str, href: str) -> str:
    return (f'<mdRef LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(href)} MDTYPE="{mdtype}" '
            f'MIMETYPE="{f.mimetype}" SIZE="{f.size}" CREATED="{_iso(f.created)}" CHECKSUM="{f.sha256}" '
            'CHECKSUMTYPE="SHA-256"/>')


def _header(dialogue: Dialogue, created: datetime) -> str:
    m = dialogue.municipality
    return f"""  <metsHdr CREATEDATE="{_iso(created)}" LASTMODDATE="{_iso(created)}" RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">
    <agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">
      <name>{SOFTWARE}</name>
      <note csip:NOTETYPE="SOFTWARE VERSION">{SOFTWARE_VERSION}</note>
    </agent>
    <agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">
      <name>{escape(m.name)}</name>
      <note csip:NOTETYPE="IDENTIFICATIONCODE">{escape(m.kommunkod)}</note>
    </agent>
  </metsHdr>"""


def _group(group_id: str, use: str, files: list[tuple[PackedFile, str]]) -> str:
    inner = "\n".join("      " + _file_xml(f, f"{group_id}-{n}", href) for n, (f, href) in enumerate(files, 1))
    return f'    <fileGrp ID="{group_id}" USE="{use}" {GROUP_TYPE}>\n{inner}\n    </fileGrp>'


def _fptr(group_id: str) -> str:
    """A structural map's pointer to a whole file group (CSIP points at groups, not files)."""
    return f'        <fptr FILEID="{group_id}"/>'


def _representation_mets(dialogue: Dialogue, objid: str, data: list[PackedFile], premis: PackedFile,
                         created: datetime) -> str:
    files = [(f, str(f.path.relative_to("representations/rep1"))) for f in data]
    premis_href = str(premis.path.relative_to("representations/rep1"))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mets {METS_NS} {SCHEMA_LOCATION} OBJID="{escape(objid)}-rep1" {PACKAGE_TYPE} PROFILE="{SIP_PROFILE}">
{_header(dialogue, created)}
  <amdSec ID="amd-rep1">
    <digiprovMD ID="digiprov-rep1" CREATED="{_iso(created)}" STATUS="CURRENT">
      {_md_ref(premis, "PREMIS", premis_href)}
    </digiprovMD>
  </amdSec>
  <fileSec ID="filesec-rep1">
{_group("grp-data", "Data", files)}
  </fileSec>
  <structMap ID="structmap-rep1" TYPE="PHYSICAL" LABEL="CSIP">
    <div ID="div-rep1" LABEL="{escape(objid)}-rep1">
      <div ID="div-rep1-data" LABEL="Data">
{_fptr("grp-data")}
      </div>
    </div>
  </structMap>
</mets>
"""


def _root_mets(dialogue: Dialogue, objid: str, dc: PackedFile, premis: PackedFile, rep: PackedFile,
               documentation: list[PackedFile], schemas: list[PackedFile], created: datetime) -> str:
    label = quoteattr("Medborgardialog: " + dialogue.title)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mets {METS_NS} {SCHEMA_LOCATION} OBJID="{escape(objid)}" LABEL={label} {PACKAGE_TYPE} PROFILE="{SIP_PROFILE}">
{_header(dialogue, created)}
  <dmdSec ID="dmd-dc" CREATED="{_iso(created)}" STATUS="CURRENT">
    {_md_ref(dc, "DC", str(dc.path))}
  </dmdSec>
  <amdSec ID="amd">
    <digiprovMD ID="digiprov-premis" CREATED="{_iso(created)}" STATUS="CURRENT">
      {_md_ref(premis, "PREMIS", str(premis.path))}
    </digiprovMD>
  </amdSec>
  <fileSec ID="filesec">
{_group("grp-doc", "Documentation", [(f, str(f.path)) for f in documentation])}
{_group("grp-schemas", "Schemas", [(f, str(f.path)) for f in schemas])}
{_group("grp-rep1", "Representations/rep1", [(rep, str(rep.path))])}
  </fileSec>
  <structMap ID="structmap" TYPE="PHYSICAL" LABEL="CSIP">
    <div ID="div-root" LABEL="{escape(objid)}">
      <div ID="div-metadata" LABEL="Metadata" DMDID="dmd-dc" ADMID="digiprov-premis"/>
      <div ID="div-documentation" LABEL="Documentation">
{_fptr("grp-doc")}
      </div>
      <div ID="div-schemas" LABEL="Schemas">
{_fptr("grp-schemas")}
      </div>
      <div ID="div-representations" LABEL="Representations">
{_fptr("grp-rep1")}
        <div ID="div-rep1" LABEL="Representations/rep1">
          <mptr xlink:type="simple" xlink:href="{rep.path}" xlink:title="grp-rep1" LOCTYPE="URL"/>
        </div>
      </div>
    </div>
  </structMap>
</mets>
"""


def package_id(dialogue: Dialogue) -> str:
    """The package's identifier: the municipality, the dialogue and a UUID (CSIP wants it unique)."""
    return f"platsdialog-{dialogue.municipality.kommunkod}-{dialogue.slug}-{uuid.uuid4()}"


def build_package(dialogue: Dialogue, workdir: Path) -> Path:
    """Write the dialogue's SIP into workdir/PACKAGE-ID and return that folder."""
    if dialogue.status not in ARCHIVE_STATUSES:
        raise ArchiveRefused("Bara en stängd eller arkiverad dialog kan arkiveras.")
    created = _now()
    objid = package_id(dialogue)
    root = workdir / objid
    everything = ExportOptions(include_hidden=True)  # public records: hidden comments too, flagged
    data_files = {
        "report.pdf": _export_bytes(dialogue, "report-pdf", everything),
        "report.html": _export_bytes(dialogue, "report-html", everything),
        "dialogue.gpkg": _export_bytes(dialogue, "gpkg", everything),
        "comments.csv": _export_bytes(dialogue, "csv", everything),
        "answers.csv": _export_bytes(dialogue, "answers-csv", everything),
        "survey.json": json.dumps(dialogue.survey_version.definition, ensure_ascii=False, indent=2,
                                  sort_keys=True).encode("utf-8"),
        "audit-log.csv": _audit_csv(dialogue),
    }
    data = [_pack(root, f"representations/rep1/data/{name}", body, created)
            for name, body in data_files.items()]
    rep_premis = _pack(root, "representations/rep1/metadata/preservation/premis.xml",
                       _premis(dialogue, data, created), created)
    rep = _pack(root, "representations/rep1/METS.xml",
                _representation_mets(dialogue, objid, data, rep_premis, created).encode(), created)
    dc = _pack(root, "metadata/descriptive/dc.xml", _dublin_core(dialogue, created), created)
    premis = _pack(root, "metadata/preservation/premis.xml", _premis(dialogue, data, created), created)
    documentation = [_pack(root, "documentation/README.txt", DOCUMENTATION.encode(), created)]
    schemas = [_pack(root, f"schemas/{xsd.name}", xsd.read_bytes(), created)
               for xsd in sorted(SCHEMAS.glob("*.xsd"))]
    (root / "METS.xml").write_text(
        _root_mets(dialogue, objid, dc, premis, rep, documentation, schemas, created), encoding="utf-8")
    return root


def archive_zip(dialogue: Dialogue, output: Path) -> Path:
    """The package as one ZIP file (the package folder at its top), written to output."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="platsdialog-sip-") as work:
        root = build_package(dialogue, Path(work))
        made = shutil.make_archive(str(output.with_suffix("")), "zip", root_dir=work, base_dir=root.name)
    return Path(made)
