# The Debian package (bash .ci/package): /usr/bin/einlass, the config file, the systemd
# units, and the maintainer scripts that make the user einlass and /var/lib/einlass.
# Shared libraries become dependencies through dpkg-shlibdeps.
set(pkg ${PROJECT_SOURCE_DIR}/packaging)

install(TARGETS einlass RUNTIME DESTINATION bin)
install(FILES ${pkg}/einlass.conf DESTINATION /etc/einlass)
install(FILES ${pkg}/einlass.service ${pkg}/einlass-backup.service ${pkg}/einlass-backup.timer
        DESTINATION /lib/systemd/system)
execute_process(COMMAND gzip -9nc ${pkg}/changelog OUTPUT_FILE ${CMAKE_BINARY_DIR}/changelog.gz)
execute_process(COMMAND gzip -9nc ${pkg}/einlass.1 OUTPUT_FILE ${CMAKE_BINARY_DIR}/einlass.1.gz)
install(FILES ${CMAKE_BINARY_DIR}/einlass.1.gz DESTINATION share/man/man1)
install(FILES ${pkg}/copyright ${CMAKE_BINARY_DIR}/changelog.gz ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION share/doc/einlass)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME einlass)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "Einlass developers <einlass@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "registration and check-in with QR codes for network events")
set(CPACK_PACKAGE_DESCRIPTION
  "Einlass takes registrations for events online, issues QR-coded tickets by
mail, and serves a check-in page for door tablets that keeps admitting when
the network is gone. Organisers watch attendance live and export lists.

One program with an embedded SQLite database, run as a systemd service;
PostgreSQL for several servers.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # einlass_VERSION[-RELEASE]_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/einlass/einlass")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Beside the libraries: the user is made with adduser; certificates for the mail server,
# time zones for event times.
# fonts-noto-core: the fonts the PDFs embed (Latin and Arabic); the libraries come from dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, ca-certificates, tzdata, fonts-noto-core")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${pkg}/postinst;${pkg}/prerm;${pkg}/postrm;${pkg}/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
