// A store-only ZIP writer (APPNOTE 6.3.x: local headers, central directory, end record; no
// compression — the photos are WebP already and the text is small; no ZIP64, so an archive
// stays under 4 GiB and 65535 entries). Names are UTF-8 (flag bit 11). Returns a Blob built in
// one step: either the whole archive exists or nothing does.
const enc = new TextEncoder();

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function dosDateTime(date) {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1);
  const day = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  return { time, day };
}

function header(size) {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer) };
}

/** files: [{name, data: Uint8Array | string}] → a Blob of type application/zip. */
export function storeZip(files, { date = new Date() } = {}) {
  const { time, day } = dosDateTime(date);
  const parts = [];
  const central = [];
  let offset = 0;
  const names = new Set();
  for (const file of files) {
    if (names.has(file.name)) throw new Error(`zip: duplicate name ${file.name}`);
    names.add(file.name);
    const name = enc.encode(file.name);
    const data = typeof file.data === "string" ? enc.encode(file.data) : file.data;
    const crc = crc32(data);
    const local = header(30);
    local.view.setUint32(0, 0x04034b50, true);
    local.view.setUint16(4, 20, true); // version needed: 2.0
    local.view.setUint16(6, 0x0800, true); // UTF-8 names
    local.view.setUint16(8, 0, true); // stored
    local.view.setUint16(10, time, true);
    local.view.setUint16(12, day, true);
    local.view.setUint32(14, crc, true);
    local.view.setUint32(18, data.length, true);
    local.view.setUint32(22, data.length, true);
    local.view.setUint16(26, name.length, true);
    parts.push(local.bytes, name, data);
    const entry = header(46);
    entry.view.setUint32(0, 0x02014b50, true);
    entry.view.setUint16(4, 0x0314, true); // made by: Unix, 2.0
    entry.view.setUint16(6, 20, true);
    entry.view.setUint16(8, 0x0800, true);
    entry.view.setUint16(12, time, true);
    entry.view.setUint16(14, day, true);
    entry.view.setUint32(16, crc, true);
    entry.view.setUint32(20, data.length, true);
    entry.view.setUint32(24, data.length, true);
    entry.view.setUint16(28, name.length, true);
    entry.view.setUint32(38, 0o100644 << 16, true); // -rw-r--r--
    entry.view.setUint32(42, offset, true);
    central.push(entry.bytes, name);
    offset += 30 + name.length + data.length;
  }
  const centralSize = central.reduce((n, part) => n + part.length, 0);
  if (offset + centralSize > 0xffffffff || files.length > 0xffff) {
    throw new RangeError("zip: too large for a ZIP without ZIP64");
  }
  const end = header(22);
  end.view.setUint32(0, 0x06054b50, true);
  end.view.setUint16(8, files.length, true);
  end.view.setUint16(10, files.length, true);
  end.view.setUint32(12, centralSize, true);
  end.view.setUint32(16, offset, true);
  return new Blob([...parts, ...central, end.bytes], { type: "application/zip" });
}
