/**
 * Attachment file types: the original extension allowlist, and for each extension the Content-Types its files
 * really arrive with. (The old system accepted only a few MIME types, so csv/json/xlsx/docx/esx files failed.)
 * Generic binary types are accepted for every allowed extension: object stores serve uploads without a declared
 * type that way, and the extension allowlist still applies.
 */
const GENERIC = ['application/octet-stream', 'binary/octet-stream', 'application/binary'];

export const CONTENT_TYPES: Readonly<Record<string, readonly string[]>> = {
  pdf: ['application/pdf', 'application/x-pdf'],
  xml: ['application/xml', 'text/xml'],
  txt: ['text/plain'],
  csv: ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'],
  json: ['application/json', 'text/json', 'text/plain'],
  html: ['text/html'],
  htm: ['text/html'],
  xls: ['application/vnd.ms-excel', 'application/msexcel', 'application/x-msexcel'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip'],
  doc: ['application/msword'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/zip'],
  esx: ['application/zip', 'application/x-zip-compressed', 'application/vnd.xactware.esx'],
  jpg: ['image/jpeg', 'image/pjpeg'],
  jpeg: ['image/jpeg', 'image/pjpeg'],
  png: ['image/png'],
  gif: ['image/gif'],
  bmp: ['image/bmp', 'image/x-bmp', 'image/x-ms-bmp'],
  tiff: ['image/tiff'],
  tif: ['image/tiff'],
  webp: ['image/webp'],
  mov: ['video/quicktime'],
  mp4: ['video/mp4'],
};

export const ALLOWED_EXTENSIONS: readonly string[] = Object.keys(CONTENT_TYPES);

export function isAllowedExtension(ext: string): boolean {
  return Object.prototype.hasOwnProperty.call(CONTENT_TYPES, ext.toLowerCase());
}

/** Whether a response Content-Type fits the extension; a missing Content-Type is accepted. */
export function contentTypeFits(ext: string, contentType: string | undefined): boolean {
  if (!contentType) return true;
  const [type = ''] = contentType.split(';');
  const mime = type.trim().toLowerCase();
  const expected = CONTENT_TYPES[ext.toLowerCase()];
  return expected !== undefined && (expected.includes(mime) || GENERIC.includes(mime));
}
