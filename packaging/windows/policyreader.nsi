; Windows installer for policyreader: the PyInstaller one-folder bundle, a Start-menu entry,
; file associations (default for review bundles, "Open with" for Markdown, text, HTML and PDF)
; and an uninstaller that removes all of it. Built by `python packaging/build.py nsis`:
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=...\dist\policyreader -DICONS_DIR=...\resources\icons
;            -DOUTFILE=...\policyreader-0.1.0-setup.exe packaging\windows\policyreader.nsi

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef BUNDLE_DIR
  !error "pass -DBUNDLE_DIR=<the PyInstaller one-folder bundle>"
!endif
!ifndef ICONS_DIR
  !define ICONS_DIR "..\..\resources\icons"
!endif
!ifndef OUTFILE
  !define OUTFILE "policyreader-${VERSION}-setup.exe"
!endif

!define APP_NAME "Policy Reader"
!define APP_EXE "policyreader.exe"
!define APP_ID "org.policyreader.PolicyReader"
!define PUBLISHER "The policyreader developers"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define CAPABILITIES_KEY "Software\policyreader\Capabilities"
!define PROGID_REVIEW "PolicyReader.Review"
!define PROGID_DOCUMENT "PolicyReader.Document"
; SHChangeNotify(SHCNE_ASSOCCHANGED, SHCNF_IDLIST): Explorer re-reads the associations now.
!define NOTIFY_ASSOCIATIONS "System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "${APP_NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "LegalCopyright" "MIT License"

!define MUI_ICON "${ICONS_DIR}\policyreader.ico"
!define MUI_UNICON "${ICONS_DIR}\policyreader.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; "Open with" for one extension, through the shared document ProgID.
!macro OpenWith EXT
  WriteRegStr HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID_DOCUMENT}" ""
  WriteRegStr HKLM "Software\Classes\Applications\${APP_EXE}\SupportedTypes" "${EXT}" ""
  WriteRegStr HKLM "${CAPABILITIES_KEY}\FileAssociations" "${EXT}" "${PROGID_DOCUMENT}"
!macroend

!macro ForgetOpenWith EXT
  DeleteRegValue HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID_DOCUMENT}"
  DeleteRegKey /ifempty HKLM "Software\Classes\${EXT}\OpenWithProgids"
  DeleteRegKey /ifempty HKLM "Software\Classes\${EXT}"
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME} needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "${APP_NAME}" SectionMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*.*"
  File "${ICONS_DIR}\policyreview.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
    SW_SHOWNORMAL "" "Read privacy policies closely"

  ; Review bundles: our own type, opened by us by default.
  WriteRegStr HKLM "Software\Classes\${PROGID_REVIEW}" "" "Policy review"
  WriteRegStr HKLM "Software\Classes\${PROGID_REVIEW}\DefaultIcon" "" "$INSTDIR\policyreview.ico"
  WriteRegStr HKLM "Software\Classes\${PROGID_REVIEW}\shell\open\command" "" \
    '"$INSTDIR\${APP_EXE}" "%1"'
  WriteRegStr HKLM "Software\Classes\.policyreview" "" "${PROGID_REVIEW}"
  WriteRegStr HKLM "Software\Classes\.policyreview" "Content Type" "application/x-policyreview"
  WriteRegStr HKLM "Software\Classes\.policyreview\OpenWithProgids" "${PROGID_REVIEW}" ""
  WriteRegStr HKLM "${CAPABILITIES_KEY}\FileAssociations" ".policyreview" "${PROGID_REVIEW}"

  ; Policies in common formats: offered under "Open with", never taken over.
  WriteRegStr HKLM "Software\Classes\${PROGID_DOCUMENT}" "" "Privacy policy"
  WriteRegStr HKLM "Software\Classes\${PROGID_DOCUMENT}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "Software\Classes\${PROGID_DOCUMENT}\shell\open\command" "" \
    '"$INSTDIR\${APP_EXE}" "%1"'
  WriteRegStr HKLM "Software\Classes\Applications\${APP_EXE}" "FriendlyAppName" "${APP_NAME}"
  WriteRegStr HKLM "Software\Classes\Applications\${APP_EXE}\shell\open\command" "" \
    '"$INSTDIR\${APP_EXE}" "%1"'
  !insertmacro OpenWith ".md"
  !insertmacro OpenWith ".markdown"
  !insertmacro OpenWith ".txt"
  !insertmacro OpenWith ".html"
  !insertmacro OpenWith ".htm"
  !insertmacro OpenWith ".pdf"

  ; Settings > Default apps lists us with the types above.
  WriteRegStr HKLM "${CAPABILITIES_KEY}" "ApplicationName" "${APP_NAME}"
  WriteRegStr HKLM "${CAPABILITIES_KEY}" "ApplicationDescription" "Read privacy policies closely"
  WriteRegStr HKLM "${CAPABILITIES_KEY}" "ApplicationIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "Software\RegisteredApplications" "${APP_NAME}" "${CAPABILITIES_KEY}"

  ; Apps & features entry.
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0

  ${NOTIFY_ASSOCIATIONS}
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"

  ; Only what the installer wrote: the bundle folder is ours alone.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\policyreview.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey HKLM "Software\Classes\${PROGID_REVIEW}"
  DeleteRegKey HKLM "Software\Classes\${PROGID_DOCUMENT}"
  DeleteRegKey HKLM "Software\Classes\Applications\${APP_EXE}"
  ; .policyreview is ours unless another program has claimed it since.
  ReadRegStr $0 HKLM "Software\Classes\.policyreview" ""
  ${If} $0 == "${PROGID_REVIEW}"
    DeleteRegKey HKLM "Software\Classes\.policyreview"
  ${Else}
    DeleteRegValue HKLM "Software\Classes\.policyreview\OpenWithProgids" "${PROGID_REVIEW}"
  ${EndIf}
  !insertmacro ForgetOpenWith ".md"
  !insertmacro ForgetOpenWith ".markdown"
  !insertmacro ForgetOpenWith ".txt"
  !insertmacro ForgetOpenWith ".html"
  !insertmacro ForgetOpenWith ".htm"
  !insertmacro ForgetOpenWith ".pdf"
  DeleteRegValue HKLM "Software\RegisteredApplications" "${APP_NAME}"
  DeleteRegKey HKLM "Software\policyreader"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"

  ${NOTIFY_ASSOCIATIONS}
SectionEnd
